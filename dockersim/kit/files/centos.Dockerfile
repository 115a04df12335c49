# Stand-in for centos:8 in the chapter: bash with CentOS's prompt [root@<short id> /]#.
FROM dockersim/ubuntu:14.04
RUN printf '%s\n' 'PS1="[\u@\h \W]\\$ "' >> /etc/bash.bashrc
LABEL org.dockersim.kit="centos:8"
CMD ["/bin/bash"]
