# HW1, Eve: no homework at all, only escapes — one spelling a line. Every line is refused, or runs with its
# host paths re-rooted into Eve's own workspace; none reaches the grading machine's files or engine.
docker run -dv /etc:/e ubuntu:14.04 touch /e/eve-was-here
docker run -itdv /tmp:/t ubuntu:14.04 touch /t/eve-was-here
docker volume create -o type=none -o o=bind -o device=/etc hostetc
docker volume create --driver local --opt type=none --opt o=bind --opt device=/etc h2
docker run --mount type=volume,dst=/d,volume-driver=local,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=/etc ubuntu:14.04
docker -Hunix:///var/run/docker.sock run ubuntu:14.04
docker -cNAME run ubuntu:14.04
docker --host=unix:///var/run/docker.sock ps
docker -H=tcp://127.0.0.1:2375 ps
docker --context=default run ubuntu:14.04
docker --config /root/.docker ps
docker -Dc default ps
docker volume create hostetc3 -o device=/etc -o o=bind -o type=none
docker volume create --opt=device=/etc --opt=o=bind --opt=type=none h4
docker volume create -odevice=/etc h5
docker volume create -d local -o=device=/etc h6
docker volume create --driver=vieux/sshfs h7
docker run --volume-driver=local -v h8:/d ubuntu:14.04
docker run --mount type=bind,source=/etc,target=/e ubuntu:14.04 touch /e/eve-was-here
docker run --mount "type=volume,source=h9,target=/d,volume-opt=device=/etc" ubuntu:14.04
docker run --mount 'TYPE=VOLUME,SRC=h10,DST=/d,VOLUME-OPT=device=/etc' ubuntu:14.04
docker container run --privileged ubuntu:14.04
docker container create --cap-add=ALL ubuntu:14.04
docker run -it --cap-add ALL ubuntu:14.04
docker run --pid=host ubuntu:14.04
docker run --net=host ubuntu:14.04
docker run --network host ubuntu:14.04
docker run --ipc host ubuntu:14.04
docker run --userns=host ubuntu:14.04
docker run --uts=host ubuntu:14.04
docker run --cgroupns=host ubuntu:14.04
docker run --device=/dev/sda ubuntu:14.04
docker run --security-opt apparmor=unconfined ubuntu:14.04
docker run --cgroup-parent=/ ubuntu:14.04
docker run --runtime=runc ubuntu:14.04
docker run --sysctl net.ipv4.ip_forward=1 ubuntu:14.04
docker run --log-driver=syslog --log-opt syslog-address=udp://127.0.0.1:514 ubuntu:14.04
docker run --env-file=/etc/environment ubuntu:14.04
docker run --cidfile /etc/eve-cid ubuntu:14.04
docker run --use-api-socket ubuntu:14.04
docker run -v /var/run/docker.sock:/s ubuntu:14.04
docker run -v /run/docker.sock:/s:ro ubuntu:14.04
docker run -v ../../../../etc:/x ubuntu:14.04
docker run -v /etc:/e:rshared ubuntu:14.04
docker run --mount type=bind,source=/etc,target=/e,bind-propagation=rshared ubuntu:14.04
docker cp c:/etc/passwd /tmp/x
docker container cp /etc/shadow c:/
docker image save -o /tmp/x.tar ubuntu:14.04
docker save --output=/etc/x.tar ubuntu:14.04
docker load -i /etc/x.tar
docker import /etc/passwd eve/passwd
docker build -f /etc/passwd /
docker context create evil --docker host=unix:///var/run/docker.sock
docker plugin install vieux/sshfs
docker run --gpus all ubuntu:14.04
docker exec --privileged c sh
docker run --storage-opt size=1G ubuntu:14.04
docker run --ulimit nofile=1000000 ubuntu:14.04
docker network create -o com.docker.network.bridge.name=eth0 evil
docker network create --driver=macvlan -o parent=eth0 evil2
docker run --label-file /etc/passwd ubuntu:14.04
docker run -td --name x --device-cgroup-rule='a *:* rwm' ubuntu:14.04
docker swarm init
docker --tlscacert /etc/ssl/x ps
docker run -e X=1 ubuntu:14.04 $(cat /etc/shadow)
docker rm -f $(docker ps -aq --format '{{.ID}}')
docker run --oom-kill-disable ubuntu:14.04
docker run -v /etc:/e --rm=true --privileged=true ubuntu:14.04
docker run -dit -v=/etc:/e --cap-add=SYS_ADMIN ubuntu:14.04
docker run --mount=type=bind,src=/var/run/docker.sock,dst=/s ubuntu:14.04
docker run -v /var/lib/docker:/d ubuntu:14.04 touch /d/eve-was-here
docker run -v/proc:/p ubuntu:14.04 touch /p/eve-was-here
docker run -u 0 -v /root:/r ubuntu:14.04 touch /r/eve-was-here
docker run -v ~/.ssh:/s ubuntu:14.04 touch /s/eve-was-here
docker run -v ./../../..:/up ubuntu:14.04
docker --log-level debug -H unix:///run/docker.sock run ubuntu:14.04
docker system dial-stdio
docker events
docker run --network name=host ubuntu:14.04
docker run -e HOME -e GITHUB_TOKEN ubuntu:14.04 env
docker run -v /:/w ubuntu:14.04 ln -s .. /w/up
docker run -v /up:/all ubuntu:14.04 ls /all
docker run --mount type=bind,dst=/var/lib/dockersim ubuntu:14.04 ls /var/lib/dockersim
docker run --mount type=volume,type=bind,src=/etc,dst=/e ubuntu:14.04
