# Stand-in for alicek106/volume_test: an image whose /home/testdir_2 holds a file named test.
FROM dockersim/ubuntu:14.04
RUN mkdir -p /home/testdir_2 && touch /home/testdir_2/test
LABEL org.dockersim.kit="alicek106/volume_test"
CMD ["/bin/bash"]
