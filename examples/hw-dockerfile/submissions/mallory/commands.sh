# HW3, Mallory: every way a build could read or write the grading machine's files, one a line. Each is
# refused (with its reason) or runs and finds nothing of the machine's (EXPECTED.md says which).
docker build -o type=local,dest=/ .
docker build --output=type=local,dest=/root .
docker image build -qt stolen -o type=tar,dest=/tmp/out.tar .
docker build -ot=local,dest=/etc .
docker build --iidfile /tmp/iid .
docker build --metadata-file=/tmp/meta.json .
docker build --cache-to type=local,dest=/var/lib/docker .
docker build --cache-from type=local,src=/var/lib/docker .
docker build --secret id=shadow,src=/etc/shadow .
docker buildx build --secret=id=shadow,src=/etc/shadow .
docker build --ssh default .
docker build --build-context etc=/etc .
docker build --network host .
docker build --network=container:web .
docker build --pull .
docker build --build-arg HOME .
docker build https://github.com/docker/getting-started.git
docker build git@github.com:docker/getting-started.git
docker build -
docker build -t stolen - < /etc/shadow
docker build -f - .
docker build ../..
docker build -f ../../etc/shadow ..
docker build --file=/etc/shadow /etc
docker build -t stolen hostetc
docker build -f shadow.Dockerfile .
docker builder prune -af
docker buildx prune -af
docker builder build --platform linux/arm64 .
docker build -t stolen/copy-out -f copy-out.Dockerfile .
docker build -t stolen/mount-root -f mount-root.Dockerfile .
docker build -t stolen/mount-from -f mount-from.Dockerfile .
docker build -t stolen/escaped -f escaped.Dockerfile .
docker build -t stolen/onbuild -f onbuild.Dockerfile .
docker build -t stolen/link -f link.Dockerfile .
docker build -t busybox .
docker build -t stolen/context .
docker run -d --name loot stolen/context
