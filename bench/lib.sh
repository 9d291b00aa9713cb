# Shared by bench/live.sh and bench/recrawl.sh (sourced, not run).

say() { echo "bench: $*" >&2; }

# One line on when and where a benchmark ran, for docs/benchmarks.md.
run_context() {
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'). Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr); load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)."
}
