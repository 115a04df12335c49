# Stand-in for debian:bookworm (and debian, debian:12), the base a Dockerfile homework builds FROM: the kit's
# Debian itself, under a name of its own (the same layers: nothing more to store or copy).
FROM dockersim/base:bookworm
LABEL org.dockersim.kit="debian:bookworm"
CMD ["bash"]
