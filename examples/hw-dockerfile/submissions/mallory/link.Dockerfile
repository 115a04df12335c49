# Links in the context to a file and a folder of the grading machine.
FROM busybox
COPY secret-link /stolen-secret
COPY hostetc/hostname /stolen-hostname
