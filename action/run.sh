#!/usr/bin/env bash
# The GitHub Action's work, runnable anywhere (the tests run it locally):
#   sqlbundle check; sqlbundle lint as SARIF and as Markdown (to $GITHUB_STEP_SUMMARY when set).
# Settings come from the environment: SQLBUNDLE_DIALECT, SQLBUNDLE_FAIL_ON (default error),
# SQLBUNDLE_SINCE (a git ref: lint only what changed since), SQLBUNDLE_SARIF (default
# sqlbundle.sarif), SQLBUNDLE_BIN (default sqlbundle). Exit 1 when check or lint fails, 2 when
# sqlbundle could not run; the outputs (sarif, summary paths) go to $GITHUB_OUTPUT when set.
set -uo pipefail

bin="${SQLBUNDLE_BIN:-sqlbundle}"
sarif="${SQLBUNDLE_SARIF:-sqlbundle.sarif}"
temp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
summary="$temp/sqlbundle-summary.md"
check_out="$temp/sqlbundle-check.out"
lint_args=(--fail-on "${SQLBUNDLE_FAIL_ON:-error}")
if [ -n "${SQLBUNDLE_DIALECT:-}" ]; then lint_args+=(-d "$SQLBUNDLE_DIALECT"); fi
if [ -n "${SQLBUNDLE_SINCE:-}" ]; then lint_args+=(--since "$SQLBUNDLE_SINCE"); fi

"$bin" check > "$check_out" 2>&1
check=$?
"$bin" lint "${lint_args[@]}" -f sarif > "$sarif"
lint=$?
"$bin" lint "${lint_args[@]}" -f markdown > "$summary.lint" 2>/dev/null

{
    echo "## sqlbundle"
    echo
    case $check in
        0) echo "**check**: every bundle is current." ;;
        1) echo "**check**: something is not current:" ;;
        *) echo "**check**: could not run:" ;;
    esac
    if [ "$check" -ne 0 ]; then
        echo
        echo '```'
        cat "$check_out"
        echo '```'
    fi
    echo
    cat "$summary.lint"
} > "$summary"
rm -f "$check_out" "$summary.lint"
cat "$summary"

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$summary" >> "$GITHUB_STEP_SUMMARY"; fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "summary=$summary" >> "$GITHUB_OUTPUT"
    if [ -s "$sarif" ]; then echo "sarif=$sarif" >> "$GITHUB_OUTPUT"; fi
fi

if [ "$check" -ge 2 ] || [ "$lint" -ge 2 ]; then exit 2; fi
if [ "$check" -ne 0 ] || [ "$lint" -ne 0 ]; then exit 1; fi
exit 0
