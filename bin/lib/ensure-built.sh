#!/usr/bin/env bash
# Usage: bin/lib/ensure-built.sh MODULE JAR
#
# Builds MODULE (and the in-repo modules it depends on) with
#     mvn -q -B -DskipTests -pl MODULE -am package
# when JAR does not exist yet, or when any input is newer than it: the root pom.xml, or the pom.xml or src/ of MODULE
# or of any in-repo module it depends on (directly or not). JAR is relative to the repository root unless absolute.
# Prints nothing when the jar is up to date; build chatter goes to stderr, so launchers can keep stdout clean.
#
# In-repo dependencies are found by reading MODULE/pom.xml: every <artifactId>X</artifactId> for which X/pom.xml
# exists at the root is a module (module directories are named after their artifactId), and its own pom is read in
# turn. A concurrent launcher waits for a build in progress (flock) instead of starting a second one.
#
# Environment: MVN (default: mvn) is the Maven command.
#
# Used by bin/bench; meant for every launcher that runs a module's jar (bin/ofswitch, bin/lab).
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: ensure-built.sh MODULE JAR" >&2
    exit 2
fi
module=$1
jar=$2
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
case "$jar" in
    /*) ;;
    *) jar="$root/$jar" ;;
esac
if [ ! -f "$root/$module/pom.xml" ]; then
    echo "ensure-built.sh: no module '$module' (no $root/$module/pom.xml)" >&2
    exit 2
fi

# The module and its in-repo dependencies, transitively.
modules=()
visit() {
    local m=$1 seen dep
    for seen in "${modules[@]+"${modules[@]}"}"; do
        [ "$seen" = "$m" ] && return 0
    done
    modules+=("$m")
    for dep in $(sed -n 's:.*<artifactId>\([^<]*\)</artifactId>.*:\1:p' "$root/$m/pom.xml"); do
        if [ "$dep" != "$m" ] && [ -f "$root/$dep/pom.xml" ]; then
            visit "$dep"
        fi
    done
}
visit "$module"

# Prints the first input newer than the jar (or the jar itself when it is missing); nothing when up to date.
first_stale_input() {
    if [ ! -f "$jar" ]; then
        echo "$jar (missing)"
        return
    fi
    local paths=("$root/pom.xml") m
    for m in "${modules[@]}"; do
        paths+=("$root/$m/pom.xml")
        [ -d "$root/$m/src" ] && paths+=("$root/$m/src")
    done
    find "${paths[@]}" -newer "$jar" -print -quit
}

[ -z "$(first_stale_input)" ] && exit 0

mkdir -p "$root/$module/target"
exec 9>"$root/$module/target/.ensure-built.lock"
if command -v flock >/dev/null 2>&1; then
    flock 9
fi
# Another launcher may have built it while we waited for the lock.
reason=$(first_stale_input)
[ -z "$reason" ] && exit 0

echo "ensure-built: building $module (${modules[*]}) because of ${reason#"$root/"}" >&2
(cd "$root" && ${MVN:-mvn} -q -B -DskipTests -pl "$module" -am package) >&2
if [ -n "$(first_stale_input)" ]; then
    echo "ensure-built: the build of $module did not produce an up-to-date ${jar#"$root/"}" >&2
    exit 1
fi
