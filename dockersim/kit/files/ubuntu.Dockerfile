# Stand-in for ubuntu:14.04 in the chapter: bash as the command, prompt root@<short id>:/#,
# ifconfig, curl, and apt-get that works inside.
FROM dockersim/base:bookworm
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends net-tools iproute2 iputils-ping \
      curl ca-certificates procps less \
 && rm -rf /var/lib/apt/lists/*
LABEL org.dockersim.kit="ubuntu:14.04"
CMD ["/bin/bash"]
