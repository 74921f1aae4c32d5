#!/usr/bin/env python3
"""During a rolling deploy the previous release keeps serving on the new schema, so a
migration must not take away what that release still reads or writes. This flags a
migration that drops or renames a column or table the previous release's code names
(docs/OPERATIONS.md, "Migrations and rolling deploys").

Usage: scripts/check-migrations.py [BASE] [--repo DIR]
BASE is the previous release, a git revision: by default the newest `v*` tag, else
HEAD's first parent. Migrations in the working tree that BASE lacks are checked
against BASE's code. Exits 1 and names each problem when there is any.
"""

import os
import re
import subprocess
import sys

args = [a for a in sys.argv[1:]]
repo = "."
if "--repo" in args:
    i = args.index("--repo")
    repo = args[i + 1]
    del args[i : i + 2]
CODE = ["domain", "app", "server/src", "types", ".sqlx"]
TAKEN = [
    (r"\bdrop\s+column\s+(?:if\s+exists\s+)?(\w+)", "drops column"),
    (r"\brename\s+column\s+(\w+)\s+to\b", "renames column"),
    (r"\bdrop\s+table\s+(?:if\s+exists\s+)?(\w+)", "drops table"),
    (r"\balter\s+table\s+(?:if\s+exists\s+)?(\w+)\s+rename\s+to\b", "renames table"),
]


def git(*argv, check=True):
    out = subprocess.run(["git", "-C", repo, *argv], capture_output=True, text=True)
    if check and out.returncode != 0:
        raise SystemExit(f"git {' '.join(argv)}: {out.stderr.strip()}")
    return out


def base_revision():
    if args:
        return args[0]
    tag = git("describe", "--tags", "--abbrev=0", "--match", "v*", check=False)
    if tag.returncode == 0:
        return tag.stdout.strip()
    return "HEAD^"


def main():
    base = base_revision()
    if git("rev-parse", "--verify", "--quiet", f"{base}^{{commit}}", check=False).returncode != 0:
        print(f"no previous release to compare with ({base} is not in this clone): nothing to check")
        return 0
    before = set(git("ls-tree", "--name-only", base, "migrations/").stdout.split())
    now = sorted(f"migrations/{m}" for m in os.listdir(f"{repo}/migrations") if m.endswith(".sql"))
    new = [m for m in now if m not in before]
    problems = []
    for migration in new:
        with open(f"{repo}/{migration}") as f:
            sql = re.sub(r"--[^\n]*", "", f.read()).lower()
        for pattern, what in TAKEN:
            for name in re.findall(pattern, sql):
                used = git("grep", "-l", "-w", "-i", name, base, "--", *CODE, check=False).stdout.split()
                if used:
                    files = ", ".join(sorted({u.split(":", 1)[1] for u in used})[:5])
                    problems.append(
                        f"{migration} {what} {name}, which {base} still uses ({files}): stop using it in one "
                        f"release and take it away in a later one"
                    )
    for p in problems:
        print(p)
    print(f"{len(new)} new migrations checked against {base}: {len(problems)} problems")
    return 1 if problems else 0


sys.exit(main())
