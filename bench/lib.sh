# Shared by the bench scripts (sourced, not run).

say() { echo "bench: $*" >&2; }

# Builds the jars the launchers run, unless the script was given --no-build ($build=0).
build_unless_told_not_to() {
    if [ "${build:-1}" = 1 ]; then
        say "building: mvn -B -q -DskipTests package"
        (cd "$repo" && mvn -B -q -DskipTests package)
    fi
}

# One line on when and where a benchmark ran, for docs/benchmarks.md.
run_context() {
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'). Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr); load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)."
}

# The generated tree of FILES files (seed SEED) in WORK, made by gentree.py unless there
# already; prints its path. Keyed by the generator's hash, so a changed generator makes anew.
generated_tree() {
    local work=$1 files=$2 seed=$3 here
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    mkdir -p "$work"
    local root="$work/tree-$files-s$seed-$(sha256sum "$here/gentree.py" | cut -c1-8)"
    if [ ! -d "$root" ]; then
        say "generating $files files into $root"
        python3 "$here/gentree.py" --root "$root" --files "$files" --seed "$seed" --manifest "$root.json" >/dev/null
    fi
    echo "$root"
}
