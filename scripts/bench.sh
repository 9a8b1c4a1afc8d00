#!/usr/bin/env bash
# `npm run bench`: how fast sei-contas writes to Active Directory, against the local Samba AD DC
# (scripts/local-ad.sh), compared with OpenLDAP's ldapadd doing the same writes. In one run:
#
#   a) baseline: the LDIF of N people with exactly what apply writes (attributes, unicodePwd,
#      userAccountControl, pwdLastSet, one group membership batched per group) loaded with ldapadd over
#      LDAPS, once with 1 process and once split over 4 parallel processes: users/s of each;
#   b) `sei-contas apply --yes` of the same N people from a Windows-1252 form: users/s, peak RSS, and the
#      ratio to the better ldapadd figure (with naming.trainingCount 1, so the training accounts apply also
#      creates for each órgão of the form add N/500 accounts, not 99 per órgão);
#   c) `sei-contas plan` against the directory now holding them (no change expected): seconds;
#   d) `sei-contas training` for K órgãos × 99 accounts: users/s; then 1 % of them drifted (password
#      changed by an administrator) and `sei-contas training reset`: seconds (plus a reset with nothing
#      drifted, and the extrapolation to 63,855 accounts);
#   e) `sei-contas plan --offline` of 100,000 rows (645 órgãos): rows/s and peak RSS.
# and, only when BENCH_PHASES names it:
#   l) the LDIF of a) through ldapts (the library apply uses) on one connection, one operation at a time,
#      with nothing of the tool around it: how far Node and the library alone are from ldapadd.
#
# Nothing is deleted between phases (tombstones slow Samba down): each phase that needs an empty
# directory starts with `scripts/local-ad.sh reset` (~1.5 s), and the run ends with one too.
#
# Environment:
#   BENCH_N (2000)              people in a), b), c)
#   BENCH_K (10)                training órgãos in d) (×99 accounts)
#   BENCH_OFFLINE_ROWS (100000) rows in e)
#   BENCH_SKIP_BASELINE=1       skip a); b)'s ratio then uses the ldapadd figures of the last run that had them
#   BENCH_SKIP_PAR4=1           in a), only the 1-process ldapadd (halves a) at large N)
#   BENCH_PHASES ("a b c d e")  run only these phases (c needs b); add l for phase l), e.g. "a l b"
#   BENCH_SWEEP                 extra apply runs with other pool sizes, e.g. "1x1 1x4 2x4 4x8" (poolSize x concurrency)
#   BENCH_POOL_SIZE, BENCH_CONCURRENCY
#                               directory.poolSize / directory.concurrency for every sei-contas run, instead of
#                               config/default.json's (to try a value before changing the default)
#   BENCH_KEEP=1                keep the work folder (forms, LDIF, outputs of every command)
#   BENCH_CPU_PROF=1            a V8 CPU profile of every sei-contas run in <work>/prof/<phase>/ (implies
#                               BENCH_KEEP; profiling slows the runs a little: not for the figures)
#
# Peak RSS of each sei-contas run is the child's maximum resident set size as the kernel reports it at
# exit (wait4 rusage, through GNU time: /usr/bin/time -f %M; %U + %S give its CPU seconds). Times are wall
# clock of the whole command (process start to exit), taken with bash's EPOCHREALTIME. Samba's CPU seconds
# during ldapadd and apply (its processes' utime + stime from /proc) show how busy the DC was.
#
# One Samba serves the machine and other people's tests reset it: the whole run holds /tmp/sei-samba.lock.
# Run it as `flock /tmp/sei-samba.lock npm run bench`; if started without the lock, it takes it itself.
# Writes relatorios/bench/latest.json (and a copy named by date).
set -Eeuo pipefail
export LC_ALL=C

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_DIR=$(cd -- "$SCRIPT_DIR/.." && pwd -P)
LOCK_FILE=/tmp/sei-samba.lock

# ------------------------------------------------------------------------------------------ the lock
# Under `flock LOCK npm run bench` an ancestor holds it; otherwise take it (waiting for whoever has it).
under_lock() {
  local pid=$PPID cmd
  while [[ $pid -gt 1 ]]; do
    cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
    [[ $cmd == flock*"$LOCK_FILE"* || $cmd == */flock*"$LOCK_FILE"* ]] && return 0
    pid=$(awk '/^PPid:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 1)
    [[ $pid =~ ^[0-9]+$ ]] || pid=1
  done
  return 1
}
if [[ -z ${BENCH_LOCKED:-} ]] && ! under_lock; then
  echo "[bench] aguardando a trava $LOCK_FILE (outro processo usa o Samba local)..." >&2
  exec env BENCH_LOCKED=1 flock "$LOCK_FILE" bash "$0" "$@"
fi

cd "$REPO_DIR"
N=${BENCH_N:-2000}
K=${BENCH_K:-10}
OFFLINE_ROWS=${BENCH_OFFLINE_ROWS:-100000}
PHASES=${BENCH_PHASES:-a b c d e}
[[ ${BENCH_SKIP_BASELINE:-0} == 1 ]] && PHASES=${PHASES//a/}
TRAINING_COUNT=99
OFFLINE_ORGAOS=645
# Órgãos of the N people: ~500 people each (4 at N = 2,000).
ORGAOS_B=$(((N + 499) / 500))
for v in N K OFFLINE_ROWS; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "[bench] BENCH_$v deve ser um inteiro positivo" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/sei-bench.XXXXXX)
FIG=$WORK/figures
: >"$FIG"
cleanup() {
  local rc=$?
  if [[ ${BENCH_KEEP:-0} == 1 || ${BENCH_CPU_PROF:-0} == 1 || $rc -ne 0 ]]; then echo "[bench] arquivos desta execução: $WORK" >&2
  else rm -rf -- "$WORK"; fi
}
trap cleanup EXIT

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERRO: %s\n' "$*" >&2; exit 1; }
has_phase() { [[ " $PHASES " == *" $1 "* ]]; }
fig() { printf '%s=%s\n' "$1" "$2" >>"$FIG"; }
GEN() { npx --no-install tsx scripts/bench/generate.ts "$@" >&2; }

# run_timed LABEL DIR CMD...: runs CMD in DIR, output to $WORK/LABEL.out; sets SECS, RSS_KB, CPU (user +
# system seconds of CMD) and SAMBA_CPU (CPU seconds the Samba processes used meanwhile).
SECS=0
RSS_KB=0
CPU=0
SAMBA_CPU=0
CLK_TCK=$(getconf CLK_TCK)
# CPU ticks (user + system) of our Samba: the master (its pidfile) and every process under it (prefork
# renames them "ldap[master]", "ldap(0)"…, so they are found by parentage, not by name).
samba_ticks() {
  local master f line rest pid total=0
  master=$(cat "${SEI_LOCAL_AD_DIR:-$REPO_DIR/.local/ad}/run/samba.pid" 2>/dev/null || true)
  [[ $master =~ ^[0-9]+$ ]] || { echo 0; return; }
  local -A parent=() ticks=() keep=()
  for f in /proc/[0-9]*/stat; do
    { read -r line <"$f"; } 2>/dev/null || continue
    pid=${line%% *}
    rest=${line##*) }
    # shellcheck disable=SC2086
    set -- $rest
    parent[$pid]=$2
    ticks[$pid]=$((${12} + ${13}))
  done
  for pid in "${!parent[@]}"; do
    local p=$pid hops=0
    while [[ -n $p && $p != 0 && $p != 1 && $hops -lt 16 ]]; do
      [[ $p == "$master" ]] && { keep[$pid]=1; break; }
      p=${parent[$p]:-}
      hops=$((hops + 1))
    done
  done
  for pid in "${!keep[@]}"; do total=$((total + ${ticks[$pid]:-0})); done
  echo "$total"
}
run_timed() {
  local label=$1 dir=$2 rc=0 t0 t1
  shift 2
  local cmd=("$@") i
  # --cpu-prof is refused in NODE_OPTIONS: it goes right after the `node` of the command.
  if [[ ${BENCH_CPU_PROF:-0} == 1 ]]; then
    for i in "${!cmd[@]}"; do
      if [[ ${cmd[$i]} == node ]]; then
        cmd=("${cmd[@]:0:i+1}" --cpu-prof "--cpu-prof-dir=$WORK/prof/$label" "${cmd[@]:i+1}")
        break
      fi
    done
  fi
  local s0 s1 usage
  s0=$(samba_ticks)
  t0=$EPOCHREALTIME
  (cd "$dir" && exec /usr/bin/time -f '%M %U %S' -o "$WORK/$label.rss" "${cmd[@]}") >"$WORK/$label.out" 2>&1 || rc=$?
  t1=$EPOCHREALTIME
  s1=$(samba_ticks)
  SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  usage=$(tail -n 1 "$WORK/$label.rss" 2>/dev/null || echo '0 0 0')
  RSS_KB=${usage%% *}
  CPU=$(awk -v u="$usage" 'BEGIN { split(u, f, " "); printf "%.2f", f[2] + f[3] }')
  SAMBA_CPU=$(awk -v a="$s0" -v b="$s1" -v hz="$CLK_TCK" 'BEGIN { d = (b - a) / hz; printf "%.2f", d < 0 ? 0 : d }')
  return "$rc"
}
show_tail() { log "saída de $1 (fim):"; tail -n 20 "$WORK/$1.out" >&2 || true; }

# ----------------------------------------------------------------------------------------- directory
log "compilando (npm run build)"
npm run build --silent >"$WORK/build.out" 2>&1 || { cat "$WORK/build.out" >&2; die "npm run build falhou"; }
command -v ldapadd >/dev/null || die "ldapadd não encontrado (apt-get install ldap-utils)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time não encontrado (apt-get install time)"

needs_ad=0
for p in a b c d l; do has_phase "$p" && needs_ad=1; done
if [[ $needs_ad == 1 ]]; then
  bash scripts/local-ad.sh up >"$WORK/local-ad-up.out" 2>&1 || { cat "$WORK/local-ad-up.out" >&2; die "local-ad.sh up falhou"; }
fi
# shellcheck disable=SC1091
source .local/ad/connection.env
export LDAPTLS_CACERT=$SEI_LDAP_CA_FILE NO_COLOR=1
LDAP_ARGS=(-H "$SEI_LDAP_URL" -x -D "$SEI_LDAP_BIND_DN" -y "$SEI_LDAP_PASSWORD_FILE")
CLI=(node "$REPO_DIR/dist/cli/main.js")
ROOT_DN="OU=SEI Cidades,$SEI_LDAP_BASE_DN"

wait_ldaps() {
  local i
  for i in $(seq 1 40); do
    ldapsearch "${LDAP_ARGS[@]}" -b "" -s base '(objectClass=*)' 1.1 >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  die "o AD local não responde em $SEI_LDAP_URL"
}
reset_ad() {
  log "reset do AD local: $1"
  bash scripts/local-ad.sh reset >"$WORK/reset.out" 2>&1 || { cat "$WORK/reset.out" >&2; die "local-ad.sh reset falhou"; }
  wait_ldaps
}
# count BASE FILTER: entries found (paged, Samba returns at most 1,000 per page)
count() {
  ldapsearch "${LDAP_ARGS[@]}" -E pr=1000/noprompt -b "$1" "$2" 1.1 2>/dev/null | grep -c '^dn:' || true
}

fig cores "$(nproc)"
fig n "$N"
fig k "$K"
fig offline.rows "$OFFLINE_ROWS"
fig phases "$PHASES"
POOL_SIZE=${BENCH_POOL_SIZE:-$(node -p 'require("./config/default.json").directory.poolSize')}
CONCURRENCY=${BENCH_CONCURRENCY:-$(node -p 'require("./config/default.json").directory.concurrency')}
[[ $POOL_SIZE =~ ^[1-9][0-9]*$ && $CONCURRENCY =~ ^[1-9][0-9]*$ ]] || die "BENCH_POOL_SIZE e BENCH_CONCURRENCY devem ser inteiros positivos"
fig config.poolSize "$POOL_SIZE"
fig config.concurrency "$CONCURRENCY"
# Every sei-contas run gets --config: the directory settings (the defaults unless overridden above).
DIR_CONFIG=$WORK/diretorio.json
printf '{"directory": {"poolSize": %s, "concurrency": %s}}\n' "$POOL_SIZE" "$CONCURRENCY" >"$DIR_CONFIG"
fig config.pageSize "$(node -p 'require("./config/default.json").directory.pageSize')"

# One form for a), b), c) and l): the LDIF is what the tool would write for it.
PEOPLE=$WORK/pessoas.csv
if has_phase a || has_phase b || has_phase c || has_phase l; then
  GEN people --n "$N" --orgaos "$ORGAOS_B" --out "$PEOPLE"
  fig apply.orgaos "$ORGAOS_B"
fi

# ------------------------------------------------------------------------------- a) ldapadd baseline
if has_phase a || has_phase l; then
  GEN ldif --csv "$PEOPLE" --parts 4 --out "$WORK/ldif"
fi
setup_ldif() {
  # Not timed: the OUs and groups; -c because OU=SEI Cidades already exists on a fresh domain.
  ldapadd "${LDAP_ARGS[@]}" -c -f "$WORK/ldif/setup.ldif" >"$WORK/setup.out" 2>&1 || true
}
if has_phase a; then
  reset_ad "a) ldapadd, 1 processo"
  setup_ldif
  log "a) ldapadd de $N contas, 1 processo"
  run_timed ldapadd-seq "$WORK" ldapadd "${LDAP_ARGS[@]}" -f "$WORK/ldif/all.ldif" || { show_tail ldapadd-seq; die "ldapadd falhou"; }
  fig ldapadd.seq.seconds "$SECS"
  fig ldapadd.seq.cpuSeconds "$CPU"
  fig ldapadd.seq.sambaCpuSeconds "$SAMBA_CPU"
  got=$(count "OU=Usuarios,$ROOT_DN" '(objectClass=user)')
  [[ $got == "$N" ]] || die "ldapadd: $got contas no diretório, esperadas $N"
  log "   ${SECS}s"

  # "Then removed": a fresh domain instead of N deletions (tombstones would slow the next phase down).
  fig ldapadd.removedBy reset
fi
# l) on request: the same LDIF through ldapts, the library apply uses, with nothing of the tool around it
# (scripts/bench/ldapts-baseline.ts): what Node and the library cost against ldapadd, before the tool adds
# anything. Right after the 1-process ldapadd, so the two meet the machine in the same state.
if has_phase l; then
  reset_ad "l) ldapts sem a ferramenta"
  setup_ldif
  log "l) as mesmas $N contas pelo ldapts, 1 conexão, uma operação por vez"
  rc=0
  run_timed ldapts-seq "$WORK" env SEI_LDAP_URL="$SEI_LDAP_URL" SEI_LDAP_CA_FILE="$SEI_LDAP_CA_FILE" \
    SEI_LDAP_BIND_DN="$SEI_LDAP_BIND_DN" SEI_LDAP_PASSWORD_FILE="$SEI_LDAP_PASSWORD_FILE" \
    "$REPO_DIR/node_modules/.bin/tsx" "$REPO_DIR/scripts/bench/ldapts-baseline.ts" "$WORK/ldif/all.ldif" || rc=$?
  [[ $rc == 0 ]] || { show_tail ldapts-seq; die "ldapts-baseline terminou com código $rc"; }
  ops=$(sed -n 's/^seconds=//p' "$WORK/ldapts-seq.out")
  [[ -n $ops ]] || { show_tail ldapts-seq; die "ldapts-baseline não informou o tempo"; }
  fig ldapts.seq.seconds "$ops"
  fig ldapts.seq.sambaCpuSeconds "$SAMBA_CPU"
  got=$(count "OU=Usuarios,$ROOT_DN" '(objectClass=user)')
  [[ $got == "$N" ]] || die "ldapts: $got contas no diretório, esperadas $N"
  log "   ${ops}s (o processo inteiro, com a partida do tsx: ${SECS}s)"
fi
if has_phase a && [[ ${BENCH_SKIP_PAR4:-0} != 1 ]]; then
  reset_ad "a) remoção das contas do ldapadd; ldapadd, 4 processos"
  setup_ldif
  log "a) ldapadd de $N contas, 4 processos em paralelo"
  s0=$(samba_ticks)
  t0=$EPOCHREALTIME
  pids=()
  for p in 1 2 3 4; do
    ldapadd "${LDAP_ARGS[@]}" -f "$WORK/ldif/part-$p.ldif" >"$WORK/ldapadd-par-$p.out" 2>&1 &
    pids+=($!)
  done
  failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  t1=$EPOCHREALTIME
  [[ $failed == 0 ]] || { tail -n 5 "$WORK"/ldapadd-par-*.out >&2; die "ldapadd em paralelo falhou"; }
  SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  fig ldapadd.par4.seconds "$SECS"
  fig ldapadd.par4.sambaCpuSeconds "$(awk -v a="$s0" -v b="$(samba_ticks)" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / hz }')"
  got=$(count "OU=Usuarios,$ROOT_DN" '(objectClass=user)')
  [[ $got == "$N" ]] || die "ldapadd paralelo: $got contas no diretório, esperadas $N"
  log "   ${SECS}s"
fi

# --------------------------------------------------------------------------------- b) apply, c) plan
# trainingCount 1 in b) and c): apply also creates the training accounts of every órgão in the forms, and
# with 99 per órgão they would double the writes ldapadd is compared with. With 1 it adds $ORGAOS_B.
APPLY_DIR=$WORK/apply
mkdir -p "$APPLY_DIR"
apply_env=(env SEI_MAIL_TRANSPORT=file SEI_MAIL_OUTBOX="$APPLY_DIR/caixa-de-saida")
write_config() { # FILE [POOL CONCURRENCY]
  printf '{"naming": {"trainingCount": 1}, "directory": {"poolSize": %s, "concurrency": %s}}\n' \
    "${2:-$POOL_SIZE}" "${3:-$CONCURRENCY}" >"$1"
}
if has_phase b; then
  reset_ad "b) apply"
  write_config "$APPLY_DIR/bench-config.json"
  if has_phase c; then
    # c)'s fixed cost (process start, configuration, connection, the searches, the reports) on the empty
    # directory, with a form of one person: what does not grow with the accounts, for the 10,000 estimate.
    head -n 2 "$PEOPLE" >"$APPLY_DIR/uma-pessoa.csv"
    rc=0
    run_timed plan-fixed "$APPLY_DIR" "${CLI[@]}" --config bench-config.json plan --report-dir relatorio-plan-vazio "$APPLY_DIR/uma-pessoa.csv" || rc=$?
    [[ $rc == 0 ]] || { show_tail plan-fixed; die "plan (diretório vazio) terminou com código $rc"; }
    fig plan.fixedSeconds "$SECS"
  fi
  log "b) sei-contas apply de $N pessoas ($ORGAOS_B órgãos, formulário Windows-1252)"
  rc=0
  run_timed apply "$APPLY_DIR" "${apply_env[@]}" "${CLI[@]}" --config bench-config.json apply --yes --report-dir relatorio-apply "$PEOPLE" || rc=$?
  [[ $rc == 0 ]] || { show_tail apply; die "apply terminou com código $rc"; }
  fig apply.seconds "$SECS"
  fig apply.rssKb "$RSS_KB"
  fig apply.cpuSeconds "$CPU"
  fig apply.sambaCpuSeconds "$SAMBA_CPU"
  got=$(count "OU=Usuarios,$ROOT_DN" '(objectClass=user)')
  mails=$(find "$APPLY_DIR/caixa-de-saida" -name '*.eml' | wc -l)
  [[ $got == "$N" ]] || die "apply: $got contas no diretório, esperadas $N"
  [[ $mails == "$N" ]] || die "apply: $mails mensagens na caixa de saída, esperadas $N"
  fig apply.created "$got"
  fig apply.mails "$mails"
  fig apply.trainingAccounts "$ORGAOS_B"
  log "   ${SECS}s, pico de RSS $((RSS_KB / 1024)) MB; $got contas e $mails mensagens conferidas"
fi

if has_phase c; then
  has_phase b || die "a fase c precisa da fase b (o diretório com as $N contas)"
  log "c) sei-contas plan contra o diretório com as $N contas"
  rc=0
  run_timed plan "$APPLY_DIR" "${CLI[@]}" --config bench-config.json plan --out plano.json --report-dir relatorio-plan "$PEOPLE" || rc=$?
  [[ $rc == 0 ]] || { show_tail plan; die "plan terminou com código $rc"; }
  fig plan.seconds "$SECS"
  fig plan.rssKb "$RSS_KB"
  changes=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).changes.length' "$APPLY_DIR/plano.json")
  fig plan.changes "$changes"
  log "   ${SECS}s, $changes alterações planejadas (esperado: 0)"
fi

# ------------------------------------------------------------------------------ optional apply sweep
if has_phase b && [[ -n ${BENCH_SWEEP:-} ]]; then
  i=0
  for combo in $BENCH_SWEEP; do
    [[ $combo =~ ^([0-9]+)x([0-9]+)$ ]] || die "BENCH_SWEEP: '$combo' não é POOLxCONCORRÊNCIA"
    pool=${BASH_REMATCH[1]} conc=${BASH_REMATCH[2]}
    i=$((i + 1))
    reset_ad "varredura $i: poolSize $pool, concurrency $conc"
    dir=$WORK/sweep-$i-$combo
    mkdir -p "$dir"
    write_config "$dir/bench-config.json" "$pool" "$conc"
    rc=0
    run_timed "sweep-$i-$combo" "$dir" env SEI_MAIL_TRANSPORT=file SEI_MAIL_OUTBOX="$dir/caixa-de-saida" \
      "${CLI[@]}" --config bench-config.json apply --yes --report-dir relatorio "$PEOPLE" || rc=$?
    [[ $rc == 0 ]] || { show_tail "sweep-$i-$combo"; die "apply ($combo) terminou com código $rc"; }
    fig "sweep.$i.poolSize" "$pool"
    fig "sweep.$i.concurrency" "$conc"
    fig "sweep.$i.seconds" "$SECS"
    fig "sweep.$i.rssKb" "$RSS_KB"
    fig "sweep.$i.cpuSeconds" "$CPU"
    fig "sweep.$i.sambaCpuSeconds" "$SAMBA_CPU"
    log "   poolSize $pool, concurrency $conc: ${SECS}s"
  done
fi

# ---------------------------------------------------------------------------------------- d) training
if has_phase d; then
  reset_ad "d) treinamento"
  TRAIN_DIR=$WORK/treinamento
  mkdir -p "$TRAIN_DIR"
  mapfile -t ORGAOS < <(npx --no-install tsx scripts/bench/generate.ts orgaos --k "$K")
  accounts=$((K * TRAINING_COUNT))
  fig training.accounts "$accounts"
  help=$("${CLI[@]}" --help 2>&1 || true)
  training_help=$("${CLI[@]}" training --help 2>&1 || true)
  if grep -qE '^ +training' <<<"$help"; then
    fig training.mode command
    log "d) sei-contas training de $K órgãos × $TRAINING_COUNT = $accounts contas"
    rc=0
    run_timed training "$TRAIN_DIR" "${CLI[@]}" --config "$DIR_CONFIG" training "${ORGAOS[@]}" || rc=$?
  else
    # No `training` command in this build: apply of a form with one person per órgão creates the same
    # training environment (and K people, counted apart).
    fig training.mode apply
    GEN people --n "$K" --orgaos "$K" --prefix TRN --seed 30000000 --out "$TRAIN_DIR/orgaos.csv"
    log "d) sem o comando training: sei-contas apply de $K órgãos (1 pessoa cada) cria $accounts contas de treinamento"
    rc=0
    run_timed training "$TRAIN_DIR" env SEI_MAIL_TRANSPORT=file SEI_MAIL_OUTBOX="$TRAIN_DIR/caixa-de-saida" \
      "${CLI[@]}" --config "$DIR_CONFIG" apply --yes --report-dir relatorio "$TRAIN_DIR/orgaos.csv" || rc=$?
  fi
  [[ $rc == 0 ]] || { show_tail training; die "criação do treinamento terminou com código $rc"; }
  got=$(count "OU=Treinamento,$ROOT_DN" '(&(objectCategory=person)(objectClass=user))')
  [[ $got == "$accounts" ]] || die "treinamento: $got contas no diretório, esperadas $accounts"
  fig training.seconds "$SECS"
  fig training.rssKb "$RSS_KB"
  log "   ${SECS}s; $got contas conferidas"

  if grep -qE '^ +reset' <<<"$training_help"; then
    GEN drift --orgaos "$(IFS=,; echo "${ORGAOS[*]}")" --percent 1 --out "$TRAIN_DIR/drift.ldif"
    drifted=$(grep -c '^dn:' "$TRAIN_DIR/drift.ldif")
    ldapmodify "${LDAP_ARGS[@]}" -f "$TRAIN_DIR/drift.ldif" >"$WORK/drift.out" 2>&1 || { cat "$WORK/drift.out" >&2; die "ldapmodify (deriva) falhou"; }
    fig training.reset.drifted "$drifted"
    log "d) sei-contas training reset com $drifted de $accounts contas alteradas (1 %)"
    rc=0
    run_timed training-reset "$TRAIN_DIR" "${CLI[@]}" --config "$DIR_CONFIG" training reset || rc=$?
    [[ $rc == 0 ]] || { show_tail training-reset; die "training reset terminou com código $rc"; }
    fig training.reset.seconds "$SECS"
    fig training.reset.rssKb "$RSS_KB"
    grep -E 'restaurad|redefinid|restored' "$WORK/training-reset.out" | head -n 3 >&2 || true
    log "   ${SECS}s"
    log "d) sei-contas training reset sem nada alterado (só a leitura)"
    rc=0
    run_timed training-reset-clean "$TRAIN_DIR" "${CLI[@]}" --config "$DIR_CONFIG" training reset || rc=$?
    [[ $rc == 0 ]] || { show_tail training-reset-clean; die "training reset terminou com código $rc"; }
    fig training.reset.cleanSeconds "$SECS"
    log "   ${SECS}s"
    # With the one above, a line through two sizes: fixed cost + cost per account read, for the
    # extrapolation to 63,855 accounts.
    log "d) sei-contas training reset ${ORGAOS[0]} sem nada alterado (1 órgão, $TRAINING_COUNT contas)"
    rc=0
    run_timed training-reset-one "$TRAIN_DIR" "${CLI[@]}" --config "$DIR_CONFIG" training reset "${ORGAOS[0]}" || rc=$?
    [[ $rc == 0 ]] || { show_tail training-reset-one; die "training reset ${ORGAOS[0]} terminou com código $rc"; }
    fig training.reset.oneOrgaoSeconds "$SECS"
    fig training.reset.oneOrgaoAccounts "$TRAINING_COUNT"
    log "   ${SECS}s"
  else
    fig training.reset.mode "not-measured: no 'training reset' command in this build"
    log "d) 'sei-contas training reset' não existe nesta versão: reset não medido"
  fi
fi

# ---------------------------------------------------------------------------------- e) offline plan
if has_phase e; then
  OFF_DIR=$WORK/offline
  mkdir -p "$OFF_DIR"
  GEN people --n "$OFFLINE_ROWS" --orgaos "$OFFLINE_ORGAOS" --seed 10000000 --out "$OFF_DIR/formulario.csv"
  log "e) sei-contas plan --offline de $OFFLINE_ROWS linhas ($OFFLINE_ORGAOS órgãos)"
  rc=0
  # Its own config: the log file at debug level records each step's duration (fields phase and ms).
  OFF_CONFIG=$OFF_DIR/config.json
  printf '{"logs": {"dir": "%s", "level": "debug"}}\n' "$OFF_DIR/logs" >"$OFF_CONFIG"
  run_timed offline "$OFF_DIR" "${CLI[@]}" --config "$OFF_CONFIG" plan --offline --report-dir relatorio "$OFF_DIR/formulario.csv" || rc=$?
  [[ $rc == 0 ]] || { show_tail offline; die "plan --offline terminou com código $rc"; }
  cat "$OFF_DIR"/logs/*.jsonl | node -e '
    let text = ""; process.stdin.on("data", (d) => (text += d)).on("end", () => {
      for (const line of text.split("\n")) {
        try { const r = JSON.parse(line); if (typeof r.phase === "string" && typeof r.ms === "number") { console.log(`offline.phase.${r.phase}=${r.ms / 1000}`); if (typeof r.rssMb === "number") console.log(`offline.phaseRssMb.${r.phase}=${r.rssMb}`); } } catch {}
      }
    });' >>"$FIG"
  fig offline.seconds "$SECS"
  fig offline.rssKb "$RSS_KB"
  fig offline.orgaos "$OFFLINE_ORGAOS"
  log "   ${SECS}s, pico de RSS $((RSS_KB / 1024)) MB"
  # The floor: only serialising and writing those same files, in a fresh process, with no planning.
  npx --no-install tsx scripts/bench/offline-floor.ts "$OFF_DIR/relatorio" >>"$FIG" || die "offline-floor falhou"
fi

if [[ $needs_ad == 1 ]]; then reset_ad "fim: domínio limpo para os próximos"; fi

mkdir -p relatorios/bench
npx --no-install tsx scripts/bench/report.ts "$FIG" relatorios/bench/latest.json
