# Outside the context: the classic builder refuses it, buildah finds nothing there.
FROM busybox
COPY ../../etc/passwd /stolen-passwd
COPY /etc/shadow /stolen-shadow
