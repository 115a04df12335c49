#!/bin/sh
# Runs as root in the sandbox's network namespace and a new private mount namespace, so that nothing it
# mounts is seen by the host and everything goes when the last process in it ends. It builds a root on a
# fresh tmpfs and pivots into it (not chroot: runc's own pivot_root fails under a chroot), then execs
# dockerd. Arguments: the new root's mount point, the remap's first id and count, the number of host
# folders to bind, those folders, the number of folders to make empty, those, then dockerd's argv. The
# folders (run dir, data root, shared ones) are bound at the same paths as on the host, so that the socket,
# the pidfile and bind sources agree; an empty one is a stage, where `Sandbox.show` binds one folder later.
set -eu
root=$1 first=$2 count=$3 binds=$4
shift 4
mount -t tmpfs -o mode=0755 dockersim-root "$root"
cd "$root"
mkdir usr etc proc sys dev tmp var var/tmp run root .oldroot
chmod 1777 tmp var/tmp
chmod 0700 root
ln -s usr/bin bin
ln -s usr/sbin sbin
ln -s usr/lib lib
ln -s usr/lib64 lib64
mount --bind /usr usr
mount -o remount,bind,ro usr

# /etc: only what dockerd, containerd, runc and iptables read; the host's is never written.
for f in resolv.conf hosts hostname nsswitch.conf host.conf ld.so.cache protocols services ethertypes; do
  if [ -e "/etc/$f" ]; then cp -L "/etc/$f" "etc/$f"; fi
done
mkdir etc/alternatives etc/docker
# How podman behaves, as the machine sets it; not its networks, registry keys, default mounts or hooks.
mkdir -p etc/containers
for f in containers.conf containers.conf.d registries.conf registries.conf.d policy.json; do
  if [ -e "/etc/containers/$f" ]; then cp -RL "/etc/containers/$f" etc/containers/; fi
done
policy='{"default": [{"type": "insecureAcceptAnything"}]}'  # podman reads it to load or pull an image
[ -e etc/containers/policy.json ] || echo "$policy" > etc/containers/policy.json
for alt in /etc/alternatives/iptables* /etc/alternatives/ip6tables*; do
  if [ -L "$alt" ]; then cp -P "$alt" etc/alternatives/; fi
done
if [ -e /etc/ssl/certs/ca-certificates.crt ]; then
  mkdir -p etc/ssl/certs
  cp -L /etc/ssl/certs/ca-certificates.crt etc/ssl/certs/
fi
grep -v '^dockremap:' /etc/passwd > etc/passwd || true
grep -v '^dockremap:' /etc/group > etc/group || true
echo "dockremap:x:$first:$first:dockersim user namespace:/nonexistent:/usr/sbin/nologin" >> etc/passwd
echo "dockremap:x:$first:" >> etc/group
echo "dockremap:$first:$count" > etc/subuid
echo "dockremap:$first:$count" > etc/subgid
# The same ids for root's own user namespaces (newuidmap reads them): a podman sandbox's builds run in one.
echo "root:$first:$count" >> etc/subuid
echo "root:$first:$count" >> etc/subgid

mount -t proc proc proc
mount --rbind /sys sys
mount -t tmpfs -o mode=0755,nosuid dockersim-dev dev
for d in null zero full random urandom tty; do
  touch "dev/$d"
  mount --bind "/dev/$d" "dev/$d"
done
mkdir dev/pts dev/shm
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts dev/pts
ln -s pts/ptmx dev/ptmx
mount -t tmpfs -o mode=1777,nosuid,nodev shm dev/shm
ln -s /proc/self/fd dev/fd
ln -s /proc/self/fd/0 dev/stdin
ln -s /proc/self/fd/1 dev/stdout
ln -s /proc/self/fd/2 dev/stderr

while [ "$binds" -gt 0 ]; do
  mkdir -p "$root$1"
  mount --bind "$1" "$root$1"
  shift
  binds=$((binds - 1))
done
empties=$1
shift
while [ "$empties" -gt 0 ]; do
  mkdir -p "$root$1"
  shift
  empties=$((empties - 1))
done

pivot_root . .oldroot
cd /
umount -l /.oldroot
rmdir /.oldroot
exec "$@"
