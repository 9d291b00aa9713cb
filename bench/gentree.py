#!/usr/bin/env python3
"""Generates a deterministic, realistic-looking file tree for the jfind benchmark.

The tree imitates a large home/project directory: top-level folders (Documents,
Pictures, src, ...), nesting mostly 3 to 10 levels deep, directory sizes from a handful
to a few thousand entries (a heavy-tailed mix, plus a few photo/log/cache dumps), and
names made of words, dates, camera counters and extensions, some with spaces or
non-ASCII UTF-8. All files are empty: only names and structure matter to a path index.

Three tokens are planted in file names so that substring queries have known hit counts:
  selective  "quokka"    10 files
  medium     "squirrel"  files/1000 files  (1,000 at 1M)
  broad      "quartz"    files/10 files    (100,000 at 1M)
Generated names never contain the letter q (either case), so those tokens match only
where planted (as long as the root path itself has no q).

Same --files and --seed give the same tree, byte for byte in names and structure.

Usage: gentree.py --root DIR --files N [--seed S] [--manifest FILE]
Creates DIR (must not exist); writes a JSON summary to --manifest and stdout.
"""
import argparse
import json
import math
import os
import random
import stat
import sys
import time

TOKENS = [("selective", "quokka"), ("medium", "squirrel"), ("broad", "quartz")]

TOP_LEVEL = [
    ("Documents", "docs"), ("Pictures", "media"), ("Music", "music"), ("Downloads", "mixed"),
    ("src", "code"), ("projects", "code"), ("work", "docs"), (".cache", "cache"),
    (".local", "code"), ("archive", "mixed"), ("Videos", "media"), ("backups", "logs"),
]

COMMON_DIRS = {
    "code": ["src", "lib", "test", "tests", "docs", "build", "include", "scripts", "main", "java",
             "resources", "util", "internal", "api", "cmd", "pkg", "vendor", "node_modules",
             "dist", "examples", "config", ".git", "objects", "refs", "assets", "static",
             "templates", "migrations", "models", "views", "components", "fixtures"],
    "docs": ["reports", "invoices", "letters", "notes", "drafts", "final", "old", "taxes",
             "contracts", "meetings", "slides", "shared", "personal", "2016", "2017", "2018",
             "2019", "2020", "2021", "2022", "2023", "2024"],
    "media": ["2014", "2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023",
              "2024", "camera", "phone", "edited", "raw", "export", "holidays", "family",
              "screenshots", "wallpapers", "thumbnails", "01", "02", "03", "04", "05", "06",
              "07", "08", "09", "10", "11", "12"],
    "music": ["albums", "singles", "live", "playlists", "podcasts", "disc 1", "disc 2"],
    "mixed": ["misc", "old", "new", "unsorted", "tmp", "installers", "papers", "images"],
    "cache": ["thumbnails", "pip", "fontconfig", "mesa_shader_cache", "http", "index", "blobs",
              "00", "0a", "1f", "2b", "3c", "4d", "5e", "6f", "7a", "8b", "9c", "ab", "cd", "ef"],
    "logs": ["daily", "weekly", "monthly", "logs", "db", "snapshots", "2022", "2023", "2024"],
}

EXTENSIONS = {
    "code": [".c", ".h", ".py", ".java", ".js", ".ts", ".go", ".rs", ".md", ".json", ".yaml",
             ".txt", ".sh", ".html", ".css", ".xml", ".cpp", ".hpp", ".rb", ".kt", ".toml",
             ".class", ".o", ".pyc", ".map", ".lock", ""],
    "docs": [".pdf", ".docx", ".odt", ".txt", ".md", ".xlsx", ".csv", ".pptx", ".ods", ".rtf"],
    "media": [".jpg", ".JPG", ".jpeg", ".png", ".heic", ".mp4", ".mov", ".CR2", ".webp", ".gif"],
    "music": [".mp3", ".flac", ".ogg", ".m4a", ".m3u", ".jpg"],
    "mixed": [".zip", ".tar.gz", ".deb", ".iso", ".pdf", ".jpg", ".txt", ".html", ".exe", ".png"],
    "cache": ["", ".bin", ".tmp", ".json", ".idx", ".pack", ".db", ".cache"],
    "logs": [".log", ".log.1", ".log.2.gz", ".gz", ".csv", ".json", ".dat", ".bak", ".db.gz"],
}

# Words with no q: names are built from these and from syllables.
WORDS = ("alpha beta gamma delta report summary budget invoice draft final notes meeting plan "
         "design review index main config server client service handler model view test data "
         "image photo holiday family garden house travel summer winter spring autumn river "
         "mountain beach city train paper thesis chapter figure table slide letter contract "
         "backup export import build release patch update install setup manual guide readme "
         "license changelog todo ideas recipe music album track live mix demo video clip movie "
         "scan receipt statement salary tax bank insurance health school course lecture exam "
         "homework project task sprint roadmap archive old new copy temp cache session user "
         "account profile settings theme layout style font icon logo banner header footer menu "
         "button widget panel dialog window frame buffer stream socket thread worker parser "
         "lexer token node tree graph matrix vector kernel driver module plugin extension "
         "schema record entry value field column row cell sheet chart map route path file").split()
UNICODE_WORDS = ["résumé", "Über", "naïve", "café", "Ångström", "façade", "jalapeño",
                 "München", "Zürich", "København", "straße", "日本", "東京", "写真", "Фото",
                 "документы", "αρχείο", "été", "niño", "crème brûlée"]
SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"] + ["an", "en", "in", "on", "ar", "er", "or", "el", "al"]


class Namer:
    def __init__(self, rng):
        self.rng = rng

    def word(self):
        r = self.rng.random()
        if r < 0.70:
            return self.rng.choice(WORDS)
        if r < 0.98:
            return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 4)))
        return self.rng.choice(UNICODE_WORDS)

    def dir_name(self, theme):
        rng = self.rng
        r = rng.random()
        if r < 0.45:
            return rng.choice(COMMON_DIRS[theme])
        if r < 0.75:
            return self.word()
        if r < 0.90:
            return self.word() + rng.choice(["-", "_", ""]) + self.word()
        if r < 0.95:
            return self.word().capitalize() + " " + self.word()
        return "%s-%d.%d" % (self.word(), rng.randint(0, 9), rng.randint(0, 30))

    def file_stem(self, theme):
        rng = self.rng
        r = rng.random()
        if theme == "media" and r < 0.6:
            return rng.choice(["IMG_%04d", "DSC%05d", "PXL_2023%04d", "VID_%04d", "Screenshot %04d"]) % rng.randint(0, 99999)
        if theme == "music" and r < 0.7:
            return "%02d - %s %s" % (rng.randint(1, 20), self.word().capitalize(), self.word())
        if theme == "cache" and r < 0.7:
            return "%016x" % rng.getrandbits(64)
        if theme == "logs" and r < 0.6:
            return "%s-%04d-%02d-%02d" % (self.word(), rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28))
        if r < 0.55:
            return self.word()
        if r < 0.80:
            return self.word() + rng.choice(["_", "-", ""]) + self.word()
        if r < 0.90:
            return self.word().capitalize() + self.word().capitalize()
        if r < 0.95:
            return "%s %s %d" % (self.word().capitalize(), self.word(), rng.randint(2010, 2024))
        return "%s_v%d" % (self.word(), rng.randint(1, 12))

    def extension(self, theme):
        return self.rng.choice(EXTENSIONS[theme])


def build_skeleton(rng, namer, n_dirs):
    """Directories as (parent index, name, depth, theme); index 0 is the root."""
    dirs = [(-1, "", 0, "mixed")]
    children = [set()]
    first_level = TOP_LEVEL[: max(3, min(len(TOP_LEVEL), n_dirs // 4))]
    for name, theme in first_level:
        dirs.append((0, name, 1, theme))
        children.append(set())
        children[0].add(name)
    max_depth = 10
    while len(dirs) < n_dirs:
        r = rng.random()
        if r < 0.55:
            # preferential: the parent of a random directory (busy directories get busier)
            parent = dirs[rng.randrange(1, len(dirs))][0]
            if parent == 0 and rng.random() < 0.97:
                continue  # keep the top level small
        else:
            parent = rng.randrange(1, len(dirs))
        depth = dirs[parent][2] + 1
        if depth > max_depth:
            continue
        theme = dirs[parent][3]
        if rng.random() < 0.03:
            theme = rng.choice(list(EXTENSIONS))
        name = namer.dir_name(theme)
        if name in children[parent]:
            name = "%s %d" % (name, len(children[parent]))
            if name in children[parent]:
                continue
        children[parent].add(name)
        dirs.append((parent, name, depth, theme))
        children.append(set())
    return dirs, children


def allocate_files(rng, dirs, n_files):
    """How many files each directory holds: heavy-tailed, deeper directories fuller."""
    weights = []
    for i, (_, _, depth, theme) in enumerate(dirs):
        if i == 0:
            weights.append(0.2)
            continue
        w = rng.lognormvariate(0.0, 1.3) * (0.4 + min(depth, 6) / 4.0)
        if theme in ("media", "cache", "logs") and rng.random() < 0.01:
            w *= 60  # camera roll, cache shard or log directory
        weights.append(w)
    # a few directories with several thousand entries (a camera dump, a mail store, ...)
    n_huge = max(1, n_files // 200_000)
    total_w = sum(weights)
    for _ in range(n_huge):
        i = rng.randrange(1, len(dirs))
        weights[i] = total_w * rng.uniform(2500, 4500) / n_files
    total_w = sum(weights)
    counts = [int(w / total_w * n_files) for w in weights]
    # hand out the remainder to the largest fractional parts, deterministically
    rest = n_files - sum(counts)
    order = sorted(range(len(dirs)), key=lambda i: -(weights[i] / total_w * n_files - counts[i]))
    for i in order[:rest]:
        counts[i] += 1
    # no directory beyond a few thousand entries: spread the excess over the others
    cap = max(200, min(6000, n_files // 20))
    excess = sum(c - cap for c in counts if c > cap)
    if excess:
        open_dirs = [i for i, c in enumerate(counts) if c < cap and i != 0]
        for i, c in enumerate(counts):
            counts[i] = min(c, cap)
        for i in rng.choices(open_dirs, weights=[weights[j] for j in open_dirs], k=excess):
            counts[i] += 1
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", required=True)
    ap.add_argument("--files", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--manifest")
    args = ap.parse_args()
    if args.files < 1000:
        sys.exit("gentree: --files must be at least 1000")
    root = os.path.abspath(args.root)
    if os.path.exists(root):
        sys.exit("gentree: %s exists" % root)
    for _, token in TOKENS:
        if token in root:
            sys.exit("gentree: the root path %s contains the token %r; choose another" % (root, token))

    started = time.time()
    rng = random.Random(args.seed)
    namer = Namer(rng)
    n_dirs = max(20, round(args.files / 16))
    dirs, children = build_skeleton(rng, namer, n_dirs)
    counts = allocate_files(rng, dirs, args.files)

    planted = {"selective": 10, "medium": max(1, args.files // 1000), "broad": args.files // 10}
    slots = rng.sample(range(args.files), sum(planted.values()))
    token_of_slot = {}
    pos = 0
    for kind, token in TOKENS:
        for s in slots[pos: pos + planted[kind]]:
            token_of_slot[s] = token
        pos += planted[kind]

    paths = [None] * len(dirs)
    paths[0] = root
    for i in range(1, len(dirs)):
        parent, name, _, _ = dirs[i]
        paths[i] = os.path.join(paths[parent], name)

    tmp = root + ".partial"
    if os.path.exists(tmp):
        import shutil
        shutil.rmtree(tmp)
    tmp_paths = [tmp + p[len(root):] for p in paths]
    for p in tmp_paths:
        os.makedirs(p, exist_ok=True)

    mode = 0o644 | stat.S_IFREG
    slot = 0
    total_len = 0
    depth_hist = {}
    for i, n in enumerate(counts):
        theme = dirs[i][3]
        used = set(children[i])
        base = tmp_paths[i]
        for _ in range(n):
            stem = namer.file_stem(theme)
            ext = namer.extension(theme)
            token = token_of_slot.get(slot)
            if token is not None:
                stem = rng.choice(["%s_%s", "%s-%s", "%s %s"]) % ((stem, token) if rng.random() < 0.5 else (token, stem))
            name = stem + ext
            k = 1
            while name in used:
                k += 1
                name = "%s (%d)%s" % (stem, k, ext)
            used.add(name)
            os.mknod(os.path.join(base, name), mode)
            total_len += len(os.fsencode(paths[i])) + 1 + len(name.encode())
            d = dirs[i][2] + 1
            depth_hist[d] = depth_hist.get(d, 0) + 1
            slot += 1
    os.rename(tmp, root)

    sizes = sorted(len(children[i]) + counts[i] for i in range(len(dirs)))

    def pct(p):
        return sizes[min(len(sizes) - 1, int(p / 100 * len(sizes)))]

    summary = {
        "root": root,
        "seed": args.seed,
        "files": args.files,
        "directories": len(dirs),  # including the root
        "paths": args.files + len(dirs),
        "patterns": {kind: token for kind, token in TOKENS},
        "planted": {kind: planted[kind] for kind, _ in TOKENS},
        "file_depth_histogram": {str(k): depth_hist[k] for k in sorted(depth_hist)},
        "entries_per_directory": {"p50": pct(50), "p90": pct(90), "p99": pct(99), "max": sizes[-1]},
        "mean_file_path_bytes": round(total_len / args.files, 1),
        "generation_seconds": round(time.time() - started, 1),
    }
    text = json.dumps(summary, indent=1, ensure_ascii=False)
    if args.manifest:
        with open(args.manifest, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
