"""Why a submission's line does not run, said to students: the command line's grammar (cl_), the
allow-list (r_) and commands.sh's syntax (s_). Reasons given as a phrase follow an option's name."""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    "cl_no_option_before": {
        "en": "{what} takes no option {word} before its command",
        "ko": "{what} 는 명령 앞에 옵션 {word} 를 받지 않습니다",
    },
    "cl_not_a_command": {
        "en": "'{command}' is not a docker command",
        "ko": "'{command}' 은(는) docker 명령이 아닙니다",
    },
    "cl_no_option": {"en": "{what} has no option {option}", "ko": "{what} 에는 {option} 옵션이 없습니다"},
    "cl_needs_value": {"en": "{what}: {option} needs a value", "ko": "{what}: {option} 에는 값이 필요합니다"},
    "cl_no_short": {
        "en": "{what} has no option {short} (in {word})",
        "ko": "{what} 에는 {short} 옵션이 없습니다 ({word} 안에서)",
    },
    "cl_short_needs_value": {
        "en": "{what}: {short} ({long}) needs a value",
        "ko": "{what}: {short} ({long}) 에는 값이 필요합니다",
    },
    "cl_bool": {
        "en": "{what}: {option} is true or false, not {value!r}",
        "ko": "{what}: {option} 은(는) true 나 false 입니다 ({value!r} 는 안 됩니다)",
    },
    "cl_mount_fields": {
        "en": "--mount {spec!r} is not comma-separated key=value fields",
        "ko": "--mount {spec!r} 은(는) 쉼표로 나눈 key=value 가 아닙니다",
    },
    "r_only": {
        "en": "only {allowed} may be given here, not {value!r}",
        "ko": "여기에는 {allowed} 만 쓸 수 있습니다 ({value!r} 는 안 됩니다)",
    },
    "r_host_network": {
        "en": "the host's network would be the grading machine's",
        "ko": "호스트 네트워크는 채점 기계의 네트워크가 됩니다",
    },
    "r_network_value": {
        "en": "--network takes a network's name or container:NAME, not {value!r}",
        "ko": "--network 에는 네트워크 이름이나 container:NAME 을 씁니다 ({value!r} 는 안 됩니다)",
    },
    "r_env_value": {
        "en": "-e takes NAME=VALUE, not {value!r} (a bare NAME would copy the grader's own variable)",
        "ko": "-e 에는 NAME=VALUE 를 씁니다 ({value!r} 는 안 됩니다: NAME 만 쓰면 채점기의 변수가 복사됩니다)",
    },
    "r_host_path_bad": {
        "en": "the host path {path!r} cannot be used ({error})",
        "ko": "호스트 경로 {path!r} 는 쓸 수 없습니다 ({error})",
    },
    "r_all_tags": {
        "en": "--all-tags on an engine shared with others would move image names the run could not give back",
        "ko": "다른 사람과 함께 쓰는 엔진에서 --all-tags 는 되돌려 놓을 수 없는 이미지 이름을 바꿉니다",
    },
    "r_not_ours": {
        "en": "it names the {what}, which this submission did not make: on an engine shared with others, a "
        "submission reaches only what it made",
        "ko": "{what} 은(는) 이 제출물이 만든 것이 아닙니다: 다른 사람과 함께 쓰는 엔진에서 제출물은 "
        "자기가 만든 것에만 닿을 수 있습니다",
    },
    "r_outside": {
        "en": "the host path {path} leads outside the submission's workspace",
        "ko": "호스트 경로 {path} 는 제출물의 작업 폴더 밖으로 나갑니다",
    },
    "r_socket": {
        "en": "mounting an engine's socket would hand the container the engine",
        "ko": "엔진의 소켓을 마운트하면 컨테이너가 엔진을 손에 넣습니다",
    },
    "r_volume_form": {
        "en": "-v {value} is not SOURCE:TARGET[:MODE] or a container path",
        "ko": "-v {value} 는 SOURCE:TARGET[:MODE] 도 컨테이너 경로도 아닙니다",
    },
    "r_mount_mode": {
        "en": "mount mode {mode} is not allowed (use ro, rw, z, Z or nocopy)",
        "ko": "마운트 모드 {mode} 는 허용되지 않습니다 (ro, rw, z, Z, nocopy 중에서 쓰세요)",
    },
    "r_source": {
        "en": "{source} is neither a host path nor a volume name",
        "ko": "{source} 는 호스트 경로도 볼륨 이름도 아닙니다",
    },
    "r_volume_driver": {
        "en": "a volume driver can mount the grading machine's files",
        "ko": "볼륨 드라이버는 채점 기계의 파일을 마운트할 수 있습니다",
    },
    "r_volume_opt": {
        "en": "volume driver options can mount the grading machine's files (type=none,o=bind,device=…)",
        "ko": "볼륨 드라이버 옵션은 채점 기계의 파일을 마운트할 수 있습니다 (type=none,o=bind,device=…)",
    },
    "r_propagation": {
        "en": "mount propagation can carry mounts back to the grading machine",
        "ko": "마운트 전파는 마운트를 채점 기계로 되돌려 보낼 수 있습니다",
    },
    "r_mount_type": {
        "en": "--mount type={kind} is not allowed (bind, volume or tmpfs)",
        "ko": "--mount type={kind} 는 허용되지 않습니다 (bind, volume, tmpfs 중에서 쓰세요)",
    },
    "r_mount_why": {"en": "--mount {key}: {reason}", "ko": "--mount {key}: {reason}"},
    "r_mount_twice": {
        "en": "--mount gives {key} twice: one client takes the first, another the last",
        "ko": "--mount 에 {key} 가 두 번 있습니다: 클라이언트마다 첫 번째나 마지막 것을 씁니다",
    },
    "r_mount_no_source": {
        "en": "--mount type=bind needs source=HOST_PATH (without it podman binds the target's own path on its host)",
        "ko": "--mount type=bind 에는 source=HOST_PATH 가 필요합니다 (없으면 podman 은 대상과 같은 호스트 경로를 연결)",
    },
    "r_mount_key": {
        "en": "--mount {key} is not allowed in a submission",
        "ko": "제출물에서는 --mount {key} 를 쓸 수 없습니다",
    },
    "r_not_volume": {"en": "{value} is not a volume name", "ko": "{value} 는 볼륨 이름이 아닙니다"},
    "r_power": {
        "en": "gives a container power over the grading machine",
        "ko": "컨테이너에 채점 기계를 다룰 힘을 줍니다",
    },
    "r_host_ns": {
        "en": "would share a namespace of the grading machine",
        "ko": "채점 기계의 네임스페이스를 함께 쓰게 됩니다",
    },
    "r_host_files": {"en": "reads or writes the grading machine's files", "ko": "채점 기계의 파일을 읽거나 씁니다"},
    "r_confinement": {"en": "weakens the container's confinement", "ko": "컨테이너의 격리를 약하게 합니다"},
    "r_cgroups": {
        "en": "places the container in the grading machine's cgroups",
        "ko": "컨테이너를 채점 기계의 cgroup 에 둡니다",
    },
    "r_runtime": {
        "en": "chooses how the grading machine runs the container",
        "ko": "채점 기계가 컨테이너를 실행하는 방식을 고릅니다",
    },
    "r_sysctl": {"en": "changes kernel settings", "ko": "커널 설정을 바꿉니다"},
    "r_logs": {"en": "sends logs outside the engine", "ko": "로그를 엔진 밖으로 보냅니다"},
    "r_ulimit": {"en": "changes the grading machine's limits", "ko": "채점 기계의 한도를 바꿉니다"},
    "r_oom": {"en": "can take the grading machine's memory", "ko": "채점 기계의 메모리를 차지할 수 있습니다"},
    "r_client": {"en": "changes the grader's client settings", "ko": "채점기의 클라이언트 설정을 바꿉니다"},
    "r_other_engine": {
        "en": "would reach another engine than the grader's",
        "ko": "채점기의 엔진이 아닌 다른 엔진에 닿게 됩니다",
    },
    "r_context": {"en": "would reach another engine", "ko": "다른 엔진에 닿게 됩니다"},
    "r_swarm": {"en": "would change the engine's role", "ko": "엔진의 역할을 바꾸게 됩니다"},
    "r_events": {"en": "never ends by itself", "ko": "스스로 끝나지 않습니다"},
    "r_login": {"en": "writes credentials on the grading machine", "ko": "채점 기계에 자격 증명을 씁니다"},
    "r_not_docker": {"en": "this is not a docker command", "ko": "docker 명령이 아닙니다"},
    "r_option_why": {"en": "{option} {reason}", "ko": "{option}: {reason}"},
    "r_verb": {
        "en": "docker {path} is not allowed in a submission",
        "ko": "제출물에서는 docker {path} 를 쓸 수 없습니다",
    },
    "r_verb_why": {
        "en": "docker {path} is not allowed in a submission: it {reason}",
        "ko": "제출물에서는 docker {path} 를 쓸 수 없습니다: {reason}",
    },
    "r_option": {
        "en": "docker {path} {option} is not allowed in a submission",
        "ko": "제출물에서는 docker {path} {option} 를 쓸 수 없습니다",
    },
    "s_last_backslash": {
        "en": "the last line ends in \\ with nothing after it",
        "ko": "마지막 줄이 \\ 로 끝나지만 그 뒤에 아무것도 없습니다",
    },
    "s_only_ps": {
        "en": "only $(docker ps -a -q) and $(docker ps -q) may be substituted",
        "ko": "$(docker ps -a -q) 와 $(docker ps -q) 만 치환할 수 있습니다",
    },
    "s_ps_flags": {"en": "$(docker ps …) may use only {flags}", "ko": "$(docker ps …) 에는 {flags} 만 쓸 수 있습니다"},
    "s_control": {
        "en": "the line holds a control character (write it as plain text)",
        "ko": "줄에 제어 문자가 있습니다 (보통 글자로 쓰세요)",
    },
    "s_variables": {
        "en": "shell variables are not expanded: write the value itself",
        "ko": "셸 변수는 펼쳐지지 않습니다: 값을 직접 쓰세요",
    },
    "s_backticks": {
        "en": "backticks are shell syntax; a submission runs no shell",
        "ko": "역따옴표는 셸 문법입니다; 제출물은 셸 없이 실행됩니다",
    },
    "s_split": {"en": "the line cannot be split into words ({error})", "ko": "줄을 단어로 나눌 수 없습니다 ({error})"},
    "s_shell_syntax": {
        "en": "'{word}' is shell syntax; a submission runs one docker command a line, no shell",
        "ko": "'{word}' 는 셸 문법입니다; 제출물은 한 줄에 docker 명령 하나씩, 셸 없이 실행됩니다",
    },
    "s_only_docker": {
        "en": "only docker commands run in a submission, not '{word}'",
        "ko": "제출물에서는 docker 명령만 실행됩니다 ('{word}' 는 안 됩니다)",
    },
    "r_containers_limit": {
        "en": "a submission may make {n} containers, and it has made them",
        "ko": "제출물은 컨테이너를 {n} 개까지 만들 수 있는데, 이미 다 만들었습니다",
    },
    "w_symlink": {"en": "a symbolic link", "ko": "심볼릭 링크"},
    "w_directory": {"en": "a directory", "ko": "디렉터리"},
    "w_fifo": {"en": "a FIFO (a named pipe)", "ko": "FIFO(이름 있는 파이프)"},
    "w_socket": {"en": "a socket", "ko": "소켓"},
    "w_device": {"en": "a device", "ko": "장치 파일"},
    "w_outside": {"en": "a name outside its folder", "ko": "폴더 밖을 가리키는 이름"},
    "s_too_long": {
        "en": "the line is longer than {limit} characters",
        "ko": "줄이 {limit}자보다 깁니다",
    },
    "s_too_many": {
        "en": "the file has more than {limit} commands; this one and the rest were not read",
        "ko": "파일에 명령이 {limit}개보다 많습니다; 이 줄부터는 읽지 않았습니다",
    },
    # A build (grading/builds.py): reasons that follow an option's name, then sentences of their own.
    "r_build_cache": {
        "en": "would read or write a build cache outside the engine",
        "ko": "엔진 밖의 빌드 캐시를 읽거나 씁니다",
    },
    "r_build_secret": {
        "en": "would lend the build a secret or key of the grading machine's, which it has none of to lend",
        "ko": "채점 기계의 비밀이나 키를 빌드에 빌려주게 되는데, 빌려줄 것이 없습니다",
    },
    "r_build_contexts": {
        "en": "would give the build a second context: it reads one, a folder of the submission",
        "ko": "빌드에 두 번째 컨텍스트를 주게 됩니다: 빌드는 제출물의 폴더 하나만 읽습니다",
    },
    "r_build_pull": {
        "en": "would pull the base images: they are the grading engine's own (the kit's)",
        "ko": "베이스 이미지를 내려받게 됩니다: 베이스 이미지는 채점 엔진에 있는 것(키트의 이미지)을 씁니다",
    },
    "r_build_push": {
        "en": "would push the image off the grading engine",
        "ko": "이미지를 채점 엔진 밖으로 올려 보내게 됩니다",
    },
    "r_buildkit": {
        "en": "needs BuildKit or buildx: a graded build uses the classic builder, on docker and podman alike",
        "ko": "BuildKit 이나 buildx 가 필요합니다: 채점하는 빌드는 docker 와 podman 모두 기본(classic) 빌더를 씁니다",
    },
    "r_builder": {
        "en": "manages the grading engine's builder, which is no submission's to manage",
        "ko": "채점 엔진의 빌더를 관리하는데, 이는 제출물이 할 일이 아닙니다",
    },
    "r_build_arg": {
        "en": "--build-arg takes NAME=VALUE, not {value!r} (a bare NAME would copy the grader's own variable)",
        "ko": "--build-arg 에는 NAME=VALUE 를 씁니다 ({value!r} 는 안 됩니다: NAME 만 쓰면 채점기의 변수가 복사됩니다)",
    },
    "r_build_network": {
        "en": "a build's steps use the engine's default network: --network takes only default, not {value!r}",
        "ko": "빌드 단계는 엔진의 기본 네트워크를 씁니다: --network 에는 default 만 쓸 수 있습니다 "
        "({value!r} 는 안 됩니다)",
    },
    "r_build_cache_from": {
        "en": "--cache-from takes an image's name, not {value!r} (a path would read the grading machine's files)",
        "ko": "--cache-from 에는 이미지 이름을 씁니다 ({value!r} 는 안 됩니다: 경로는 채점 기계의 파일을 읽게 됩니다)",
    },
    "r_build_args": {
        "en": "docker build takes one context: a folder of the submission, such as .",
        "ko": "docker build 에는 컨텍스트 하나를 줍니다: . 처럼 제출물의 폴더입니다",
    },
    "r_build_stdin": {
        "en": "a build reads no context or Dockerfile from stdin (-): its context is a folder of the submission",
        "ko": "빌드는 표준 입력(-)에서 컨텍스트나 Dockerfile 을 읽지 않습니다: 컨텍스트는 제출물의 폴더입니다",
    },
    "r_build_remote": {
        "en": "a build fetches nothing ({value}): its context and Dockerfile are files of the submission",
        "ko": "빌드는 아무것도 내려받지 않습니다 ({value}): 컨텍스트와 Dockerfile 은 제출물의 파일입니다",
    },
    "r_build_absolute": {
        "en": "docker image build is not allowed with an absolute path ({path}): a build's context and Dockerfile "
        "are the submission's own, named from its folder (such as . or app/Dockerfile)",
        "ko": "docker image build 에는 절대 경로({path})를 쓸 수 없습니다: 빌드 컨텍스트와 Dockerfile 은 제출물의 "
        "것이며, 제출물 폴더에서 시작하는 경로로 씁니다 (. 이나 app/Dockerfile 처럼)",
    },
    "r_build_file_outside": {
        "en": "the Dockerfile {file} is not inside the build's context {context}",
        "ko": "Dockerfile {file} 이(가) 빌드 컨텍스트 {context} 안에 없습니다",
    },
    "r_build_large": {
        "en": "the build's context is larger than {limit} or holds more than {n} files",
        "ko": "빌드 컨텍스트가 {limit} 보다 크거나 파일이 {n} 개보다 많습니다",
    },
    "r_build_no_context": {
        "en": "the build's context {context} is no folder of the submission's workspace (a link is none)",
        "ko": "빌드 컨텍스트 {context} 은(는) 제출물 작업 폴더 안의 폴더가 아닙니다 (링크도 폴더가 아닙니다)",
    },
    "r_build_changed": {
        "en": "the build's context could not be read ({error})",
        "ko": "빌드 컨텍스트를 읽을 수 없었습니다 ({error})",
    },
    "r_build_no_dockerfile": {
        "en": "the build's context has no Dockerfile {file}",
        "ko": "빌드 컨텍스트에 Dockerfile {file} 이(가) 없습니다",
    },
    "r_build_dockerfile_large": {
        "en": "the Dockerfile {file} is larger than {kib} KiB",
        "ko": "Dockerfile {file} 이(가) {kib} KiB 보다 큽니다",
    },
    "r_build_run_flag": {
        "en": "{file}:{line}: RUN {flag} is BuildKit's and a graded build does not give it: a RUN step reaches only "
        "what a container may",
        "ko": "{file}:{line}: RUN {flag} 은(는) BuildKit 의 기능이라 채점하는 빌드에서는 쓸 수 없습니다: RUN 단계는 "
        "컨테이너가 닿는 곳에만 닿습니다",
    },
    "r_build_here": {
        "en": "a build runs only where the grader reads the workspace: a sandbox, or an engine of the grading machine",
        "ko": "빌드는 채점기가 작업 폴더를 읽을 수 있는 곳, 곧 샌드박스나 채점 기계의 엔진에서만 실행됩니다",
    },
    "r_build_session": {
        "en": "a build is a line of commands.sh; a session's steps are for what needs a terminal",
        "ko": "빌드는 commands.sh 의 한 줄로 씁니다; 세션의 단계는 터미널이 필요한 일에 씁니다",
    },
    "r_copy_links": {
        "en": "{n} link(s) of the submission lead out of it and were not copied to its workspace: {names}",
        "ko": "제출물의 링크 {n} 개가 제출물 밖을 가리켜서 작업 폴더로 복사하지 않았습니다: {names}",
    },
    "r_copy_others": {
        "en": "not copied to the workspace (FIFOs, devices, sockets and hard links are not): {names}",
        "ko": "작업 폴더로 복사하지 않았습니다 (FIFO, 장치 파일, 소켓, 하드 링크는 복사하지 않습니다): {names}",
    },
    "r_copy_full": {
        "en": "the submission's files are more than {limit}: only the first were copied to its workspace",
        "ko": "제출물의 파일이 {limit} 보다 많아서 앞의 것만 작업 폴더로 복사했습니다",
    },
}
