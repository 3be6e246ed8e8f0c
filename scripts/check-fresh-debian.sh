#!/usr/bin/env bash
# Tries the README's promise as a new user would, on a brand-new Debian
# bookworm: debootstrap (minbase) into a temporary folder, install Debian's own
# `nodejs npm git ca-certificates` and nothing else, clone this repository's
# committed HEAD, run `npm test`, then `npm start` and check that `/` answers
# with the COOP/COEP headers. Prints the versions, each test layer's counts and
# the wall times. Everything is unmounted and the system removed at the end,
# even on failure; the logs are kept.
#
# Not part of `npm test`: it takes many minutes and downloads several hundred
# MB of Debian packages. Run it (as root) before a release and after changing
# dependencies or setup:   bash scripts/check-fresh-debian.sh
# Environment: MIRROR (default: the Debian mirror the host's apt uses),
# KEEP=1 keeps the system folder for a look inside (still unmounted).
set -euo pipefail

repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
commit=$(git -C "$repo" rev-parse HEAD)
started=$SECONDS

say() { echo "check-fresh-debian: $*"; }
die() {
  say "$*" >&2
  exit 1
}

[[ $(id -u) -eq 0 ]] || die "needs root (debootstrap, chroot and mounts)"
if ! command -v debootstrap > /dev/null; then
  say "installing debootstrap on this host"
  apt-get update -q > /dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap > /dev/null
fi
if [[ -n $(git -C "$repo" status --porcelain --untracked-files=no) ]]; then
  say "note: uncommitted changes in $repo are not checked, only commit ${commit:0:12}"
fi

# The first URI the host's apt sources give for a suite (one-line .list files
# and deb822 .sources files), so the check uses the mirror this host reaches.
host_uri_for() {
  local suite=$1 file
  {
    for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [[ -f $file ]] || continue
      # deb [options] URI SUITE COMPONENTS...
      awk -v suite="$suite" '$1 == "deb" { sub(/\[[^]]*\] */, ""); if ($3 == suite) print $2 }' "$file"
    done
    for file in /etc/apt/sources.list.d/*.sources; do
      [[ -f $file ]] || continue
      awk -v suite="$suite" 'BEGIN { RS = "" } {
        uri = ""; found = 0; n = split($0, lines, "\n")
        for (i = 1; i <= n; i++) {
          if (lines[i] ~ /^URIs:/) { split(lines[i], w, " "); uri = w[2] }
          if (lines[i] ~ /^Suites:/) { m = split(lines[i], s, " "); for (j = 2; j <= m; j++) if (s[j] == suite) found = 1 }
        }
        if (found && uri != "") print uri
      }' "$file"
    done
  } | head -n 1
}
mirror=${MIRROR:-$(host_uri_for bookworm)}
mirror=${mirror:-http://deb.debian.org/debian}
security=$(host_uri_for bookworm-security)

work=$(mktemp -d "${TMPDIR:-/var/tmp}/convolab-fresh-debian.XXXXXX")
root=$work/root
logs=$work/logs
mkdir -p "$root" "$logs"

mounted=()
mount_in() { # mount_in <target under root> <mount arguments...>
  local target=$root/$1
  shift
  mkdir -p "$target"
  mount "$@" "$target"
  mounted=("$target" "${mounted[@]}")
}

# Stops whatever still runs inside the system (the server, a hung test: all
# started by this script), unmounts in reverse order, and removes the system
# folder only once nothing is mounted under it.
cleanup() {
  local status=$? pid target left
  set +e
  trap - EXIT INT TERM
  for pid in /proc/[0-9]*; do
    [[ $(readlink "$pid/root" 2> /dev/null) == "$root" ]] && kill -9 "${pid#/proc/}" 2> /dev/null
  done
  sleep 1
  for target in "${mounted[@]}"; do
    umount "$target" 2> /dev/null || umount -l "$target" || say "could not unmount $target" >&2
  done
  left=$(awk -v root="$root/" 'index($5, root) == 1 { print $5 }' /proc/self/mountinfo)
  if [[ -n $left ]]; then
    say "still mounted, so $root is left in place: $left" >&2
  elif [[ ${KEEP:-} == 1 ]]; then
    say "kept the system (unmounted) in $root"
  else
    rm -rf --one-file-system "$root"
  fi
  say "logs in $logs"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

phase_start=$SECONDS
phase() { # phase <name>: prints the time the previous phase took
  local now=$SECONDS
  [[ -n ${phase_name:-} ]] && say "$phase_name took $((now - phase_start)) s"
  phase_name=$1
  phase_start=$now
  [[ -n $phase_name ]] && say "$phase_name"
  return 0
}

phase "debootstrap bookworm (minbase) from $mirror into $root"
debootstrap --variant=minbase bookworm "$root" "$mirror" > "$logs/debootstrap.log" 2>&1 ||
  die "debootstrap failed; see $logs/debootstrap.log"

mount_in proc -t proc proc
mount_in sys -t sysfs sysfs
mount_in dev --bind /dev
mount --make-rslave "$root/dev" # nothing mounted below reaches the host's /dev
mount_in dev/pts --bind /dev/pts
mount_in dev/shm -t tmpfs -o mode=1777,nosuid,nodev shm

cp /etc/resolv.conf "$root/etc/resolv.conf"
{
  echo "deb $mirror bookworm main"
  echo "deb $mirror bookworm-updates main"
  [[ -n $security ]] && echo "deb $security bookworm-security main"
} > "$root/etc/apt/sources.list"
# The host's own extra CA certificates (a proxy's, a company's) reach Debian's
# store through update-ca-certificates when ca-certificates installs.
if compgen -G "/usr/local/share/ca-certificates/*" > /dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp -r /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
fi

# The repository as the user would clone it: only the commit under test.
git init -q --bare "$root/srv/convolab.git"
git -C "$repo" push -q "$root/srv/convolab.git" "$commit:refs/heads/main"
git -C "$root/srv/convolab.git" symbolic-ref HEAD refs/heads/main

in_chroot() { # in_chroot <log name> <bash script>: a clean login-like environment
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    TERM=dumb bash -euo pipefail -c "$2" > "$logs/$1.log" 2>&1
}

phase "apt-get install nodejs npm git ca-certificates"
in_chroot apt 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm git ca-certificates' ||
  die "apt-get failed; see $logs/apt.log"
in_chroot clone 'git clone -q /srv/convolab.git /root/convolab' || die "git clone failed; see $logs/clone.log"

phase "npm test (commit ${commit:0:12})"
test_status=0
in_chroot npm-test 'cd /root/convolab && npm test' || test_status=$?

# npm start in its own session so the whole tree (npm, bash, node) stops
# together; on a free port, as the system shares the host's network.
phase "npm start, then GET / for its COOP/COEP headers"
start_status=0
in_chroot npm-start-check '
  cd /root/convolab
  port=$(node -e "const s = require(\"net\").createServer().listen(0, \"127.0.0.1\", () => { console.log(s.address().port); s.close(); })")
  echo "npm start with PORT=$port"
  PORT=$port setsid npm start > /root/npm-start.log 2>&1 &
  server=$!
  trap "kill -- -$server 2> /dev/null || true" EXIT
  node --input-type=module -e "
    import http from \"node:http\";
    const get = () => new Promise((resolve, reject) =>
      http.get(\"http://127.0.0.1:$port/\", (res) => { res.resume(); resolve(res); }).on(\"error\", reject));
    const deadline = Date.now() + 900_000; // npm start may still be building
    for (;;) {
      try {
        const res = await get();
        const coop = res.headers[\"cross-origin-opener-policy\"], coep = res.headers[\"cross-origin-embedder-policy\"];
        console.log(\"GET / ->\", res.statusCode, \"| COOP:\", coop, \"| COEP:\", coep);
        process.exit(res.statusCode === 200 && coop === \"same-origin\" && coep === \"require-corp\" ? 0 : 1);
      } catch {
        if (Date.now() > deadline) { console.log(\"npm start never answered on port $port\"); process.exit(1); }
        await new Promise((r) => setTimeout(r, 1000));
      }
    }"
' || start_status=$?
cp "$root/root/npm-start.log" "$logs/npm-start.log" 2> /dev/null || true
phase ""

echo
echo "== fresh Debian check of commit ${commit:0:12}"
in_chroot versions 'cd /root/convolab
  echo "Debian $(cat /etc/debian_version), Node $(node --version), npm $(npm --version)"
  echo "Chromium: $(chromium --version 2> /dev/null || echo missing)"
  echo "playwright-core $(node -p "require(\"./node_modules/playwright-core/package.json\").version" 2> /dev/null || echo missing)"' || true
cat "$logs/versions.log"
echo "-- npm test (exit $test_status); test layers:"
sed -n '/^== summary/,$p' "$logs/npm-test.log" | tail -n +2
echo "-- npm start (exit $start_status):"
cat "$logs/npm-start-check.log"
echo "total wall time: $((SECONDS - started)) s"
((test_status == 0 && start_status == 0)) || die "FAILED (logs in $logs)"
say "passed"
