"""What `dockersim record` says to an instructor in the recording shell and after it, what its docker shim
refuses, and the remarks it writes into the files it makes."""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    # the recording shell
    "rec_banner": {
        "en": "recording into {path}: every docker command you finish becomes a step. `# task: …` (or dsim task "
        '"…") before one gives it its task, `# hint: …` its hint, `# title: …` the file\'s title. Leave with exit '
        "or Ctrl+D: what you made is removed, and the file is written, replayed and mutation-checked.",
        "ko": "{path} 에 기록합니다: 끝낸 docker 명령 하나하나가 단계가 됩니다. 그 앞에 `# task: …` (또는 dsim task "
        '"…") 를 쓰면 단계의 과제가, `# hint: …` 는 힌트가, `# title: …` 은 파일 제목이 됩니다. exit 또는 '
        "Ctrl+D 로 끝내면 만든 것은 지워지고, 파일을 쓴 뒤 다시 실행하고 변이 검사를 합니다.",
    },
    "rec_step": {
        "en": "step {n} recorded: {command} ({checks} checks)",
        "ko": "{n}단계 기록: {command} (확인 {checks}개)",
    },
    "rec_noted": {
        "en": "noted for the next step: {kind}: {text}",
        "ko": "다음 단계에 붙일 {kind}: {text}",
    },
    "rec_no_asking": {
        "en": "`{what}` is practice's: in a recording, type the commands the learner will type",
        "ko": "`{what}` 는 연습 모드의 명령입니다: 기록 중에는 학습자가 입력할 명령을 입력하세요",
    },
    "rec_not_docker": {
        "en": "not recorded: no docker command (record makes steps of docker commands)",
        "ko": "기록하지 않음: docker 명령이 아닙니다 (docker 명령만 단계가 됩니다)",
    },
    "rec_sudo": {
        "en": "not recorded: sudo's docker skips the recording's labels, so what it made would not be cleaned "
        "up. Type it without sudo",
        "ko": "기록하지 않음: sudo 로 실행한 docker 는 기록의 레이블을 붙이지 않아 정리되지 않습니다. sudo 없이 "
        "입력하세요",
    },
    "rec_not_split": {
        "en": "not recorded: the line cannot be split into words ({error})",
        "ko": "기록하지 않음: 줄을 단어로 나눌 수 없습니다 ({error})",
    },
    "rec_refused_grammar": {
        "en": "not recorded: {error}",
        "ko": "기록하지 않음: {error}",
    },
    "rec_shim_refused": {
        "en": "not recorded: the recording refused it (above)",
        "ko": "기록하지 않음: 기록이 이 명령을 거부했습니다 (위)",
    },
    "rec_shim_not_ours": {
        "en": "{items}: not made in this recording, so record does not remove it (record on the sandbox, "
        "--sandbox, to show removing what a learner already has)",
        "ko": "{items}: 이 기록에서 만든 것이 아니므로 지우지 않습니다 (학습자가 이미 가진 것을 지우는 모습은 "
        "--sandbox 로 샌드박스에서 기록하세요)",
    },
    "rec_shim_prune": {
        "en": "record does not prune on your own engine: it would reach what the recording did not make, and a "
        "learner's replay would reach theirs. Record on the sandbox (--sandbox) to show a prune",
        "ko": "기록은 여러분의 엔진에서 prune 하지 않습니다: 기록이 만들지 않은 것까지 지우고, 학습자의 재실행도 "
        "그들의 것을 지우게 됩니다. prune 은 샌드박스(--sandbox)에서 기록하세요",
    },
    # after the shell
    "rec_nothing": {
        "en": "{path} was not written: no docker command was recorded",
        "ko": "{path} 를 쓰지 않았습니다: 기록된 docker 명령이 없습니다",
    },
    "rec_verifying": {
        "en": "replaying {path}, then the mutation check (each step's command replaced by docker version)",
        "ko": "{path} 를 다시 실행한 뒤 변이 검사를 합니다 (각 단계의 명령을 docker version 으로 바꿔 봅니다)",
    },
    "rec_written": {"en": "wrote {path}: {steps} steps", "ko": "{path} 작성: {steps}단계"},
    "rec_verdict": {
        "en": "replayed: {failed} of {steps} steps failed; mutation check: {mutated} steps mutated, {survived} "
        "survived, {strengthened} strengthened (what failed or survived is marked in the file)",
        "ko": "다시 실행: {steps}단계 중 {failed}단계 실패; 변이 검사: {mutated}단계를 바꿔 {survived}단계가 "
        "살아남고 {strengthened}단계를 보강함 (실패하거나 살아남은 단계는 파일에 표시됨)",
    },
    # remarks written in the files
    "rec_head": {
        "en": "Recorded with `dockersim record`: each step is a command typed once, with checks of what it did. "
        "Read it over: the tasks, names and hints are yours to write.",
        "ko": "`dockersim record` 로 기록했습니다: 각 단계는 한 번 입력한 명령과, 그 명령이 한 일의 확인입니다. "
        "과제, 이름, 힌트는 직접 다듬으세요.",
    },
    "rec_head_replayed": {
        "en": "Replayed once: {failed} of {steps} steps failed. Mutation check (each command replaced by docker "
        "version): {mutated} steps mutated, {survived} still passed.",
        "ko": "한 번 다시 실행: {steps}단계 중 {failed}단계 실패. 변이 검사 (명령을 docker version 으로 바꿈): "
        "{mutated}단계 중 {survived}단계가 여전히 통과.",
    },
    "rec_failed_replay": {
        "en": "✗ failed when replayed: {why}",
        "ko": "✗ 다시 실행했을 때 실패: {why}",
    },
    "rec_survives": {
        "en": "✗ survives mutation: with its command replaced by docker version this step still passes, so it "
        "checks nothing its own command does. Add a check or an expectation that only its command makes true",
        "ko": "✗ 변이에서 살아남음: 명령을 docker version 으로 바꿔도 이 단계는 통과하므로, 자기 명령이 하는 일을 "
        "확인하지 않습니다. 이 명령만이 참으로 만드는 확인이나 기대를 더하세요",
    },
    "rec_strengthened": {
        "en": "strengthened: it survived mutation until it looked for more of the output it showed",
        "ko": "보강함: 보여 준 출력을 더 많이 확인하게 하기 전에는 변이에서 살아남았습니다",
    },
    "rec_why_own_words": {
        "en": "what it prints is {engine}'s own wording",
        "ko": "출력 문구가 {engine} 고유의 것입니다",
    },
    # record --spec
    "rec_reading": {"en": "what the reference made", "ko": "참조 답안이 만든 것"},
    "rec_spec_not_graded": {
        "en": "the reference could not be graded: {why}",
        "ko": "참조 답안을 채점할 수 없었습니다: {why}",
    },
    "rec_spec_nothing": {
        "en": "{folder} made nothing a check could look at: no spec was written",
        "ko": "{folder} 가 만든 것 가운데 확인할 것이 없어 명세를 쓰지 않았습니다",
    },
    "rec_c_container": {
        "en": "{name} is {state}, from {image}",
        "ko": "{name} 컨테이너: {state}, 이미지 {image}",
    },
    "rec_c_field": {"en": "{name}'s {field} as the reference set them", "ko": "참조 답안이 정한 {name} 의 {field}"},
    "rec_c_http": {
        "en": "{name} answers on its published port {port}",
        "ko": "{name} 가 공개된 포트 {port} 로 응답합니다",
    },
    "rec_c_holds": {"en": "{name}'s {folder} holds {entry}", "ko": "{name} 의 {folder} 에 {entry} 가 있습니다"},
    "rec_c_volume": {"en": "the volume {name} exists", "ko": "볼륨 {name} 이 있습니다"},
    "rec_c_image": {"en": "the image {ref} is on the engine", "ko": "이미지 {ref} 가 엔진에 있습니다"},
    "rec_hidden_candidate": {
        "en": "a hidden-check candidate: it looks at what the commands did inside, not at what they were; "
        "`hidden: true` counts it without showing it to students",
        "ko": "숨은 확인 후보: 명령 자체가 아니라 그 명령이 안에서 한 일을 확인합니다. `hidden: true` 를 쓰면 "
        "학생에게 보이지 않고 점수에만 들어갑니다",
    },
    "rec_spec_head": {
        "en": "Written by `dockersim record --spec` from the reference below, graded in a sandbox: a check, one "
        "point each, of what it made. Read it over: the names, points and hints are yours to write.",
        "ko": "`dockersim record --spec` 가 아래 참조 답안을 샌드박스에서 채점해 썼습니다: 참조 답안이 만든 것마다 "
        "1점짜리 확인이 하나씩 있습니다. 이름, 점수, 힌트는 직접 다듬으세요.",
    },
    "rec_spec_refused": {
        "en": "✗ the reference's line was refused, so nothing of it is checked: {line}",
        "ko": "✗ 참조 답안의 이 줄은 거부되어 확인하지 않습니다: {line}",
    },
    "rec_spec_left_out": {
        "en": "left out: the reference did not pass it when graded again: {what}",
        "ko": "뺌: 다시 채점했을 때 참조 답안이 통과하지 못했습니다: {what}",
    },
    "rec_spec_written": {
        "en": "wrote {path}: {checks} checks, {points} points, {hidden} hidden-check candidates marked",
        "ko": "{path} 작성: 확인 {checks}개, {points}점, 숨은 확인 후보 {hidden}개 표시",
    },
}
