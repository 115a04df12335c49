"""The words of reports: the HTML page's (h_) and a student's feedback (f_)."""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    # report.html
    "h_distribution": {"en": "Score distribution", "ko": "점수 분포"},
    "h_grade_summary": {"en": "students: {n} · mean score {mean} of {max}", "ko": "학생 {n}명 · 평균 {mean} / {max}"},
    "h_table": {"en": "Students and checks", "ko": "학생별 확인 항목"},
    "h_student": {"en": "student", "ko": "학생"},
    "h_score": {"en": "score", "ko": "점수"},
    "h_pass_rate": {"en": "passed by", "ko": "통과 비율"},
    "h_engines": {"en": "Engines", "ko": "엔진"},
    "h_engine_did": {
        "en": "graded {n} · the reference solution got {canary}",
        "ko": "{n}개 채점 · 모범 답안 점수 {canary}",
    },
    "h_set_aside": {"en": "set aside:", "ko": "제외됨:"},
    "h_hidden": {"en": "hidden from students", "ko": "학생에게 숨김"},
    "h_run_title": {"en": "dockersim run", "ko": "dockersim 실행"},
    "h_recording": {"en": "recording", "ko": "녹화"},
    "f_score": {"en": "Score: {score} / {max}", "ko": "점수: {score} / {max}"},
    "f_not_graded": {"en": "Not graded (no score)", "ko": "채점 안 됨 (점수 없음)"},
    "h_disturbed": {"en": "disturbed while grading", "ko": "채점 중 방해받음"},
    "f_checks": {"en": "Checks", "ko": "확인 항목"},
    "f_hidden": {"en": "a hidden check ({earned}/{points})", "ko": "숨겨진 확인 항목 ({earned}/{points})"},
    "f_refused": {"en": "Lines that were refused", "ko": "거부된 줄"},
    "f_refused_label": {"en": "Refused lines:", "ko": "거부된 줄:"},
    "f_line": {"en": "line {n}", "ko": "{n}번째 줄"},
    "f_failed": {"en": "Commands that did not succeed", "ko": "성공하지 못한 명령"},
    "f_exit": {"en": "exit status {status}", "ko": "종료 코드 {status}"},
    "f_session": {"en": "Interactive session", "ko": "대화형 세션"},
    "f_notes": {"en": "Notes", "ko": "참고"},
    "f_summary_headers": {"en": "student|score|refused lines|time", "ko": "학생|점수|거부된 줄|시간"},
    "f_written": {
        "en": "written to {out}/: gradebook.csv, results.json, report.html, junit/, feedback/, recordings/, "
        "gradescope/",
        "ko": "{out}/ 에 썼습니다: gradebook.csv, results.json, report.html, junit/, feedback/, recordings/, "
        "gradescope/",
    },
    "f_visible_points": {
        "en": "{earned} / {most} points from the checks you can see",
        "ko": "볼 수 있는 확인 항목에서 {earned} / {most}점",
    },
}
