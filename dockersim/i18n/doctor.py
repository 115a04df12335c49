"""What `dockersim doctor` says of this machine: each thing looked at or tried, what was found, and the fix."""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    # what was looked at (the topics)
    "dr_t_clients": {"en": "clients", "ko": "클라이언트"},
    "dr_t_resolved": {"en": "engine resolved", "ko": "연결할 엔진"},
    "dr_t_engine": {"en": "engine", "ko": "엔진"},
    "dr_t_start": {"en": "container start", "ko": "컨테이너 시작"},
    "dr_t_ports": {"en": "published ports", "ko": "포트 연결"},
    "dr_t_kit": {"en": "offline kit", "ko": "오프라인 키트"},
    "dr_t_sandbox": {"en": "sandbox engine", "ko": "샌드박스 엔진"},
    # what was found
    "dr_client_at": {"en": "{name} at {path}", "ko": "{name} ({path})"},
    "dr_and": {"en": "{a}, {b}", "ko": "{a}, {b}"},
    "dr_resolved": {"en": "context {context}, endpoint {endpoint}", "ko": "컨텍스트 {context}, 주소 {endpoint}"},
    "dr_resolved_podman": {
        "en": "podman runs the containers itself: there is no engine to reach",
        "ko": "podman 은 컨테이너를 직접 실행합니다: 따로 연결할 엔진이 없습니다",
    },
    "dr_unknown": {"en": "unknown", "ko": "알 수 없음"},
    "dr_kind_rootful": {"en": "{engine} {version}, rootful", "ko": "{engine} {version}, rootful (root 로 실행)"},
    "dr_kind_rootless": {"en": "{engine} {version}, rootless", "ko": "{engine} {version}, rootless (사용자로 실행)"},
    "dr_kind_desktop": {"en": "Docker Desktop (docker {version})", "ko": "Docker Desktop (docker {version})"},
    "dr_kind_remote": {"en": "{engine} {version}, remote ({scheme})", "ko": "{engine} {version}, 원격 ({scheme})"},
    "dr_engine": {
        "en": "{kind}, client {client}, reachable as {user}",
        "ko": "{kind}, 클라이언트 {client}, {user} 로 접근",
    },
    "dr_user_group": {"en": "{name} in the docker group", "ko": "docker 그룹의 {name}"},
    "dr_start_ok": {
        "en": "a container of {image} started and ended with exit status 0",
        "ko": "{image} 컨테이너가 시작해서 종료 코드 0 으로 끝났습니다",
    },
    "dr_start_failed": {
        "en": "a container of {image} did not start; the engine said: {said}",
        "ko": "{image} 컨테이너가 시작하지 못했습니다. 엔진의 말: {said}",
    },
    "dr_start_untried": {
        "en": "not tried: no image here to start a container from",
        "ko": "시도하지 못함: 컨테이너를 시작할 이미지가 없습니다",
    },
    "dr_ports_ok": {
        "en": "a port published on 127.0.0.1:{port} answered from the container ({engine})",
        "ko": "127.0.0.1:{port} 에 연결한 포트로 컨테이너가 응답했습니다 ({engine})",
    },
    "dr_ports_failed": {
        "en": "127.0.0.1:{port} did not answer from the container: {said}",
        "ko": "127.0.0.1:{port} 에서 컨테이너가 응답하지 않았습니다: {said}",
    },
    "dr_no_http": {
        "en": "the connection closed without an HTTP answer",
        "ko": "HTTP 응답 없이 연결이 끊겼습니다",
    },
    "dr_ports_not_started": {
        "en": "a container publishing a port did not start; the engine said: {said}",
        "ko": "포트를 연결한 컨테이너가 시작하지 못했습니다. 엔진의 말: {said}",
    },
    "dr_ports_untried": {
        "en": "not tried: the kit's busybox image (its web server answers the probe) is not here",
        "ko": "시도하지 못함: 확인에 쓰는 키트의 busybox 이미지(웹 서버)가 없습니다",
    },
    "dr_ports_no_start": {
        "en": "not tried: no container starts here",
        "ko": "시도하지 못함: 여기서는 컨테이너가 시작하지 않습니다",
    },
    "dr_kit_ok": {"en": "all {n} stand-ins built", "ko": "대체 이미지 {n}개가 모두 있습니다"},
    "dr_kit_missing": {"en": "missing {tags}", "ko": "없음: {tags}"},
    "dr_sandbox_ok": {
        "en": "possible here (root, Linux, dockerd, ip, nsenter, iptables)",
        "ko": "여기서 쓸 수 있습니다 (root, Linux, dockerd, ip, nsenter, iptables)",
    },
    # how to fix it
    "dr_fix": {"en": "fix: {fix}", "ko": "해결: {fix}"},
    "dr_fix_client": {
        "en": "install a docker client (Debian: apt-get install docker.io) or pass --docker PATH",
        "ko": "docker 클라이언트를 설치하거나 (Debian: apt-get install docker.io) --docker PATH 를 주세요",
    },
    "dr_fix_group": {
        "en": "add yourself to the docker group (sudo usermod -aG docker $USER), then log in again",
        "ko": "docker 그룹에 자신을 추가하고 (sudo usermod -aG docker $USER) 다시 로그인하세요",
    },
    "dr_fix_engine": {
        "en": "start the engine (sudo systemctl start docker), or name another with --context",
        "ko": "엔진을 시작하거나 (sudo systemctl start docker) --context 로 다른 엔진을 지정하세요",
    },
    "dr_fix_ulimits_podman": {
        "en": "podman's default limits for a container are above what this machine allows: write {path} with "
        "`{content}` (scripts/ensure-podman writes it), then ask again",
        "ko": "podman 이 컨테이너에 주는 기본 제한값이 이 컴퓨터의 한도보다 큽니다: {path} 에 `{content}` 를 "
        "쓴 뒤 (scripts/ensure-podman 이 써 줍니다) 다시 확인하세요",
    },
    "dr_fix_ulimits_docker": {
        "en": "the engine's default limits for a container are above what this machine allows: lower them "
        '("default-ulimits" in /etc/docker/daemon.json, here {limits}), restart the engine, then ask again',
        "ko": "엔진이 컨테이너에 주는 기본 제한값이 이 컴퓨터의 한도보다 큽니다: /etc/docker/daemon.json 의 "
        '"default-ulimits" 를 낮추고 (여기서는 {limits}) 엔진을 다시 시작한 뒤 확인하세요',
    },
    "dr_fix_disk": {
        "en": "the engine's disk is full: docker system df shows what takes it; remove what you no longer need",
        "ko": "엔진의 디스크가 가득 찼습니다: docker system df 로 무엇이 차지하는지 보고 필요 없는 것을 지우세요",
    },
    "dr_fix_start": {
        "en": "the engine's words above say why; docker info and the engine's log (journalctl -u docker) say more",
        "ko": "위 엔진의 말이 이유입니다. docker info 와 엔진의 로그 (journalctl -u docker) 에 더 나옵니다",
    },
    "dr_fix_busybox": {
        "en": "dockersim images build busybox makes the image the probes use (a few seconds), then ask again",
        "ko": "dockersim images build busybox 로 확인용 이미지를 만든 뒤 (몇 초) 다시 확인하세요",
    },
    "dr_fix_ports_local": {
        "en": "the checks of published ports look on 127.0.0.1: make the engine publish there (a firewall, or "
        "dockerd's userland proxy switched off, may be in the way)",
        "ko": "포트 확인은 127.0.0.1 에서 합니다: 엔진이 그곳에 포트를 열게 하세요 (방화벽이나 꺼진 dockerd 의 "
        "userland proxy 가 막고 있을 수 있습니다)",
    },
    "dr_fix_ports_remote": {
        "en": "with a remote engine, checks of published ports need its host's address",
        "ko": "원격 엔진에서는 포트를 확인하려면 그 호스트의 주소가 필요합니다",
    },
    "dr_fix_kit_root": {
        "en": "as root, dockersim images build makes them from Debian's archive (about 2 minutes)",
        "ko": "root 로 dockersim images build 를 실행하면 Debian 저장소에서 만듭니다 (2분쯤)",
    },
    "dr_fix_kit_ask": {
        "en": "ask someone with root to run sudo dockersim images build once",
        "ko": "root 권한이 있는 사람에게 sudo dockersim images build 를 한 번 실행해 달라고 하세요",
    },
    "dr_fix_sandbox": {
        "en": "run as root for --sandbox and grading; the tutorial runs without it",
        "ko": "--sandbox 와 채점에는 root 가 필요합니다. 튜토리얼은 샌드박스 없이도 됩니다",
    },
    # the verdict
    "dr_would_work": {"en": "a tutorial run would work here", "ko": "여기서 튜토리얼을 실행할 수 있습니다"},
    "dr_not_all_tried": {
        "en": "nothing found here stops a tutorial run, but not everything could be tried (the notes above)",
        "ko": "튜토리얼 실행을 막는 것은 찾지 못했지만, 모두 시도해 보지는 못했습니다 (위의 참고)",
    },
    "dr_would_not": {
        "en": "a tutorial run would not work yet",
        "ko": "아직 여기서는 튜토리얼을 실행할 수 없습니다",
    },
}
