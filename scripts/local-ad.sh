#!/usr/bin/env bash
# Throwaway Active Directory for the integration tests: a Samba 4 AD DC on loopback (LDAPS on 127.0.0.1:636).
#
#   bash scripts/local-ad.sh up [--no-pso|--pso]   install what is missing, provision if needed, start, wait for LDAPS
#   bash scripts/local-ad.sh down                  stop our Samba (by its pidfile) and wait until the ports are free
#   bash scripts/local-ad.sh status                up/down, pid, URL; exit 0 if LDAPS answers, 3 if not
#   bash scripts/local-ad.sh reset [--no-pso] [--reprovision]
#                                                  down + wipe the domain + up: a fresh directory (~1.5 s)
#   bash scripts/local-ad.sh pso-add | pso-remove  put/take the training PSO on SEI-Treinamento (works on a running DC)
#   bash scripts/local-ad.sh destroy               down + remove the whole state folder (certificates and password too)
#
# Domain: realm SEI.LOCAL, NetBIOS SEI, base DN DC=sei,DC=local, bind as CN=Administrator,CN=Users,DC=sei,DC=local.
# Made on a fresh domain: OU=SEI Cidades, OU=Treinamento under it, the global security group SEI-Treinamento
# in it, and the PSO "PSO-SEI-Treinamento" (complexity off, min length 6, no history, no min/max age) applied
# to that group, unless --no-pso or SEI_LOCAL_AD_NO_PSO=1. The domain password policy stays Samba's default
# (complexity on, min length 7, history 24, min age 1 day, max age 42 days).
#
# State lives in $SEI_LOCAL_AD_DIR (default <repo>/.local/ad), never in /etc/samba:
#   connection.json       connection details for the tests (0600): url, baseDN, bindDN, password, caFile, ...
#   connection.env        `source` it: SEI_LDAP_URL, SEI_LDAP_BIND_DN, SEI_LDAP_PASSWORD_FILE, SEI_LDAP_CA_FILE, ...
#   admin-password        Administrator's password (0600, no trailing newline)            kept by `reset`
#   tls/                  ca.pem (trust this), server.pem/.key for localhost + 127.0.0.1   kept by `reset`
#   template/             pristine copy of the first provision: `reset` copies it back     kept by `reset`
#   samba/                the domain: etc/smb.conf, private/sam.ldb, state/, cache/
#   run/samba.pid, log/samba.log, log/provision.log
#
# Environment: SEI_LOCAL_AD_DIR (state folder), SEI_LOCAL_AD_NO_PSO=1 (same as --no-pso),
#              SEI_LOCAL_AD_TIMEOUT (seconds to wait for LDAPS, default 60).
# Needs root. Only one Samba can run on a machine (ports 389/636/3268/3269 on loopback are fixed).
set -Eeuo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_DIR=$(cd -- "$SCRIPT_DIR/.." && pwd -P)
AD_DIR=$(realpath -m -- "${SEI_LOCAL_AD_DIR:-$REPO_DIR/.local/ad}")

REALM=SEI.LOCAL
NETBIOS_DOMAIN=SEI
DNS_DOMAIN=sei.local
HOST_NAME=dc1
BASE_DN=DC=sei,DC=local
BIND_DN="CN=Administrator,CN=Users,$BASE_DN"
OU_ROOT_DN="OU=SEI Cidades,$BASE_DN"
OU_TRAINING_DN="OU=Treinamento,$OU_ROOT_DN"
GROUP_NAME=SEI-Treinamento
GROUP_DN="CN=$GROUP_NAME,$OU_TRAINING_DN"
PSO_NAME=PSO-SEI-Treinamento
PSO_PRECEDENCE=10
LDAP_HOST=127.0.0.1
LDAPS_PORT=636
URL="ldaps://$LDAP_HOST:$LDAPS_PORT"
PORTS=(389 636 3268 3269)
TIMEOUT=${SEI_LOCAL_AD_TIMEOUT:-60}

SAMBA_DIR=$AD_DIR/samba
SMB_CONF=$SAMBA_DIR/etc/smb.conf
SAM_LDB=$SAMBA_DIR/private/sam.ldb
TLS_DIR=$AD_DIR/tls
CA_FILE=$TLS_DIR/ca.pem
RUN_DIR=$AD_DIR/run
PID_FILE=$RUN_DIR/samba.pid
LOG_DIR=$AD_DIR/log
SAMBA_LOG=$LOG_DIR/samba.log
PW_FILE=$AD_DIR/admin-password
CONN_JSON=$AD_DIR/connection.json
CONN_ENV=$AD_DIR/connection.env
TEMPLATE_DIR=$AD_DIR/template
PROVISIONED_MARK=$AD_DIR/.provisioned
CONFIGURED_MARK=$AD_DIR/.configured
LOCK_FILE=$AD_DIR/.lock

PACKAGES=(samba-ad-dc samba-ad-provision ldap-utils openssl)

# ---------------------------------------------------------------------------------------------- helpers
log() { printf '[local-ad] %s\n' "$*"; }
warn() { printf '[local-ad] %s\n' "$*" >&2; }
die() { printf '[local-ad] ERROR: %s\n' "$*" >&2; exit 1; }

now_us() { local t=${EPOCHREALTIME/[.,]/}; printf '%s' "$t"; }
# elapsed START_US -> "1.234s"
elapsed() { local d=$(( $(now_us) - $1 )); printf '%d.%03ds' $((d / 1000000)) $(((d / 1000) % 1000)); }

json_str() { local s=$1; s=${s//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
sh_quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

need_root() { [[ $EUID -eq 0 ]] || die "must run as root (Samba AD DC needs root; so does installing its packages)"; }

take_lock() {
  mkdir -p -- "$AD_DIR"
  exec 9>"$LOCK_FILE"
  if ! flock -w 300 9; then die "another local-ad.sh is still running on $AD_DIR (lock $LOCK_FILE)"; fi
}

samba_tool() { samba-tool "$@" -s "$SMB_CONF" -H "$SAM_LDB"; }

ldap_env() { LDAPTLS_CACERT="$CA_FILE" LDAPTLS_REQCERT=demand "$@"; }
# ldapsearch/ldapadd/ldapmodify as Administrator over LDAPS, validating the certificate.
ldap_admin() {
  local tool=$1; shift
  ldap_env timeout 20 "$tool" -H "$URL" -x -D "$BIND_DN" -y "$PW_FILE" -o nettimeout=5 "$@"
}

ldaps_ok() {
  [[ -s $PW_FILE && -s $CA_FILE ]] || return 1
  ldap_env timeout 10 ldapsearch -H "$URL" -x -D "$BIND_DN" -y "$PW_FILE" -o nettimeout=3 \
    -b "" -s base -LLL dn >/dev/null 2>&1
}

# is TCP PORT listening on this machine (any address)?  Reads /proc, so no iproute2 needed.
port_listening() {
  local hex f
  hex=$(printf '%04X' "$1")
  for f in /proc/net/tcp /proc/net/tcp6; do
    [[ -r $f ]] || continue
    if awk -v p=":$hex" 'NR > 1 && $4 == "0A" && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }' "$f"; then
      return 0
    fi
  done
  return 1
}

busy_ports() { local p out=(); for p in "${PORTS[@]}"; do port_listening "$p" && out+=("$p"); done; printf '%s' "${out[*]}"; }

port_holders() {
  if command -v ss >/dev/null 2>&1; then
    ss -ltnp 2>/dev/null | awk 'NR == 1 || /:(389|636|3268|3269)[[:space:]]/' >&2 || true
  fi
  # a Samba root process names its pidfile among its open files: tell which state folder it belongs to
  local c p fd target
  for c in /proc/[0-9]*/comm; do
    [[ $(cat "$c" 2>/dev/null) == samba ]] || continue
    p=${c#/proc/}; p=${p%/comm}
    for fd in /proc/"$p"/fd/*; do
      target=$(readlink "$fd" 2>/dev/null) || continue
      if [[ $target == */samba.pid ]]; then
        warn "samba pid $p is running with pidfile $target"
        [[ $target == */run/samba.pid ]] && warn "  (looks like local-ad.sh with SEI_LOCAL_AD_DIR=${target%/run/samba.pid})"
        break
      fi
    done
  done
}

# state letter of PID (R, S, D, Z, ...), nothing if it does not exist
proc_state() {
  local st
  read -r st 2>/dev/null <"/proc/$1/stat" || return 1
  st=${st##*) }
  printf '%s' "${st%% *}"
}

# alive = exists and is not a zombie. (Here PID 1 may take ~1.5 s to reap an exited daemon; a zombie
# holds no port and no file, so it counts as gone.)
alive() { local s; s=$(proc_state "$1") && [[ -n $s && $s != Z && $s != X ]]; }

# the pid in our pidfile, if that process is alive and is our Samba (it has files of $AD_DIR open)
our_pid() {
  local pid comm
  [[ -r $PID_FILE ]] || return 1
  pid=$(tr -dc '0-9' <"$PID_FILE")
  [[ -n $pid ]] && alive "$pid" || return 1
  comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
  [[ $comm == samba* ]] || return 1
  holds_our_files "$pid" || return 1
  printf '%s' "$pid"
}

# A recycled pid would not hold files of $AD_DIR open. If /proc/PID/fd is not readable, say yes.
holds_our_files() {
  local fd
  [[ -r /proc/$1/fd ]] && compgen -G "/proc/$1/fd/*" >/dev/null || return 0
  for fd in /proc/"$1"/fd/*; do
    [[ $(readlink "$fd" 2>/dev/null) == "$AD_DIR"/* ]] && return 0
  done
  return 1
}

# pids whose process group is PGID (Samba -D makes itself a group leader: pgid == pid)
group_pids() {
  local pgid=$1 st rest state pg
  for st in /proc/[0-9]*/stat; do
    read -r rest 2>/dev/null <"$st" || continue
    rest=${rest##*) }            # drop "pid (comm) "; comm may contain spaces
    read -r state _ pg _ <<<"$rest"   # state ppid pgrp ...
    [[ $pg == "$pgid" && $state != Z && $state != X ]] && { st=${st#/proc/}; printf '%s\n' "${st%/stat}"; }
  done
  return 0
}

wait_until() { # SECONDS CMD... -> 0 when CMD succeeds, 1 on timeout
  local limit=$(( $(now_us) + $1 * 1000000 )); shift
  until "$@"; do (( $(now_us) < limit )) || return 1; sleep 0.05; done
}

ports_free() { [[ -z $(busy_ports) ]]; }
group_gone() { [[ -z $(group_pids "$1") ]]; }

show_log_tail() {
  if [[ -s $SAMBA_LOG ]]; then
    warn "---- last lines of $SAMBA_LOG ----"
    tail -n 40 "$SAMBA_LOG" >&2 || true
    warn "----"
  fi
}

# --------------------------------------------------------------------------------------------- packages
pkg_installed() { [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true) == installed ]]; }

ensure_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do pkg_installed "$p" || missing+=("$p"); done
  if ((${#missing[@]} == 0)); then
    [[ -d /usr/share/samba/setup ]] || die "package samba-ad-provision is installed but /usr/share/samba/setup is missing; reinstall it"
    return 0
  fi
  need_root
  log "installing missing Debian packages: ${missing[*]}"
  local t0 rc=0 policy=/usr/sbin/policy-rc.d made_policy=0
  t0=$(now_us)
  # Keep dpkg from starting the distribution's own samba services (the AD DC one would grab 389/636).
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\n# temporary, written by sei-contas scripts/local-ad.sh during apt-get install\nexit 101\n' >"$policy"
    chmod 0755 "$policy"
    made_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  local apt_opts=(-y -q --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  if ! compgen -G '/var/lib/apt/lists/*Packages*' >/dev/null; then
    apt-get update -q || rc=$?
  fi
  if ((rc == 0)) && ! apt-get install "${apt_opts[@]}" "${missing[@]}"; then
    log "apt-get install failed; running apt-get update and trying again"
    rc=0
    apt-get update -q && apt-get install "${apt_opts[@]}" "${missing[@]}" || rc=$?
  fi
  ((made_policy)) && rm -f "$policy"
  ((rc == 0)) || die "could not install ${missing[*]} (apt-get exit $rc)"
  # On a machine with systemd, package samba enables samba-ad-dc.service: we never want it, it would take
  # the LDAP ports (it only runs when /etc/samba/smb.conf is a DC's, but be sure). smbd/nmbd, also
  # enabled by it, use 139/445/137/138 only: left alone.
  if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
    systemctl disable --now samba-ad-dc.service >/dev/null 2>&1 || true
    systemctl mask samba-ad-dc.service >/dev/null 2>&1 || true
    log "masked the distribution's samba-ad-dc.service (this script runs its own Samba)"
  fi
  log "packages installed in $(elapsed "$t0")"
}

# -------------------------------------------------------------------------------------------------- TLS
tls_ok() {
  [[ -s $CA_FILE && -s $TLS_DIR/server.pem && -s $TLS_DIR/server.key ]] || return 1
  openssl verify -CAfile "$CA_FILE" "$TLS_DIR/server.pem" >/dev/null 2>&1 || return 1
  [[ $(openssl x509 -in "$TLS_DIR/server.pem" -noout -pubkey 2>/dev/null) \
     == "$(openssl pkey -in "$TLS_DIR/server.key" -pubout 2>/dev/null)" ]] || return 1
  openssl x509 -in "$TLS_DIR/server.pem" -noout -checkend 2592000 >/dev/null 2>&1 || return 1
  openssl x509 -in "$TLS_DIR/server.pem" -noout -ext subjectAltName 2>/dev/null | grep -q 'IP Address:127.0.0.1'
}

ensure_tls() {
  if tls_ok; then chmod 0600 "$TLS_DIR/server.key" "$TLS_DIR/ca.key" 2>/dev/null || true; return 0; fi
  local t0 tmp san host
  t0=$(now_us)
  rm -rf -- "$TLS_DIR"
  tmp=$(mktemp -d "$AD_DIR/tls.XXXXXX")
  san="DNS:localhost,IP:127.0.0.1,IP:::1,DNS:$HOST_NAME.$DNS_DOMAIN,DNS:$DNS_DOMAIN"
  # OpenLDAP's client checks the name it gets back from a reverse lookup of 127.0.0.1, which may be
  # the machine's own name (ldaps://localhost -> "vm"): name it too.
  host=$(hostname 2>/dev/null || true)
  if [[ $host =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ && $host != localhost ]]; then san+=",DNS:$host"; fi
  (
    umask 077
    cd "$tmp"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 -sha256 \
      -subj "/O=sei-contas/CN=sei-contas local test CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -addext "subjectKeyIdentifier=hash"
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -sha256 -subj "/O=sei-contas/CN=localhost"
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth" "subjectAltName=$san" "subjectKeyIdentifier=hash" \
      "authorityKeyIdentifier=keyid" >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 825 \
      -sha256 -extfile server.ext
    rm -f server.csr server.ext ca.srl
  ) >"$tmp/openssl.log" 2>&1 || { cat "$tmp/openssl.log" >&2; rm -rf -- "$tmp"; die "openssl failed to make the test CA/certificate"; }
  rm -f "$tmp/openssl.log"
  chmod 0644 "$tmp/ca.pem" "$tmp/server.pem"
  chmod 0600 "$tmp/ca.key" "$tmp/server.key" # Samba refuses a key readable by others
  chmod 0755 "$tmp"
  mv -- "$tmp" "$TLS_DIR"
  log "made test CA and server certificate ($san) in $(elapsed "$t0")"
}

# -------------------------------------------------------------------------------------------- provision
gen_password() {
  local rnd
  rnd=$(openssl rand -base64 48 | tr -dc 'A-Za-z0-9' | cut -c1-20)
  ((${#rnd} >= 16)) || die "could not generate a random password"
  # upper, lower, digit and a symbol whatever the random part is
  printf 'Sei-%s-7x' "$rnd"
}

ensure_password() {
  [[ -s $PW_FILE ]] && { chmod 0600 "$PW_FILE"; return 0; }
  (umask 077; gen_password >"$PW_FILE.tmp")
  mv -- "$PW_FILE.tmp" "$PW_FILE"
}

write_smbconf() {
  mkdir -p -- "$SAMBA_DIR/etc" "$SAMBA_DIR/cache" "$SAMBA_DIR/ncalrpc" "$SAMBA_DIR/winbindd" "$RUN_DIR" "$LOG_DIR"
  cat >"$SMB_CONF.tmp" <<EOF
# Written by scripts/local-ad.sh: throwaway AD DC for sei-contas' integration tests. Regenerated on every start.
[global]
	netbios name = ${HOST_NAME^^}
	workgroup = $NETBIOS_DOMAIN
	realm = $REALM
	server role = active directory domain controller
	# everything under $AD_DIR, nothing in /etc/samba or /var/lib/samba
	private dir = $SAMBA_DIR/private
	lock directory = $SAMBA_DIR
	state directory = $SAMBA_DIR/state
	cache directory = $SAMBA_DIR/cache
	binddns dir = $SAMBA_DIR/bind-dns
	ncalrpc dir = $SAMBA_DIR/ncalrpc
	winbindd socket directory = $SAMBA_DIR/winbindd
	pid directory = $RUN_DIR
	log file = $SAMBA_LOG
	logging = file
	log level = 1
	max log size = 20000
	# loopback only
	interfaces = lo
	bind interfaces only = yes
	# the tests only speak LDAP(S): no DNS, SMB, Kerberos, RPC, winbindd, replication
	server services = ldap
	dns forwarder = 127.0.0.1
	# our own CA and a certificate valid for localhost / 127.0.0.1
	tls enabled = yes
	tls keyfile = $TLS_DIR/server.key
	tls certfile = $TLS_DIR/server.pem
	tls cafile = $CA_FILE
	# 'ldap server require strong auth' stays default: simple bind only over LDAPS or StartTLS

[sysvol]
	path = $SAMBA_DIR/state/sysvol
	read only = No

[netlogon]
	path = $SAMBA_DIR/state/sysvol/$DNS_DOMAIN/scripts
	read only = No
EOF
  mv -- "$SMB_CONF.tmp" "$SMB_CONF"
}

# Everything that makes two provisions differ in more than random SIDs/GUIDs. The template is reused only
# when this is unchanged.
provision_key() {
  {
    printf '%s\n' layout-1 "$AD_DIR" "$REALM" "$NETBIOS_DOMAIN" "$HOST_NAME" SAMBA_INTERNAL "$(samba -V 2>/dev/null || true)"
    sha256sum <"$PW_FILE"
  } | sha256sum | cut -d' ' -f1
}

# provision: a pristine domain in $SAMBA_DIR. The first time through samba-tool (~3.5 s); that result is
# kept in $TEMPLATE_DIR and later provisions copy it back (~0.1 s): same bytes as a new provision, with
# the same SIDs. REPROVISION=1 (reset --reprovision) forces a real provision.
provision() {
  local t0 pw key tmp
  t0=$(now_us)
  rm -rf -- "$SAMBA_DIR" "$RUN_DIR" "$CONFIGURED_MARK" "$PROVISIONED_MARK"
  mkdir -p -- "$LOG_DIR"
  key=$(provision_key)
  if [[ ${REPROVISION:-0} != 1 && -s $TEMPLATE_DIR/key && $(<"$TEMPLATE_DIR/key") == "$key" \
        && -s $TEMPLATE_DIR/samba/private/sam.ldb ]]; then
    cp -a -- "$TEMPLATE_DIR/samba" "$SAMBA_DIR"
    write_smbconf
    touch "$PROVISIONED_MARK"
    log "restored a pristine provision of $REALM from $TEMPLATE_DIR in $(elapsed "$t0")"
    return 0
  fi
  mkdir -p -- "$SAMBA_DIR/etc"
  # An empty smb.conf given with -s keeps /etc/samba/smb.conf (and /etc/resolv.conf's forwarder) out of it.
  : >"$SMB_CONF"
  pw=$(<"$PW_FILE")
  log "provisioning $REALM into $SAMBA_DIR ..."
  if ! samba-tool domain provision -s "$SMB_CONF" --targetdir="$SAMBA_DIR" \
      --realm="$REALM" --domain="$NETBIOS_DOMAIN" --host-name="$HOST_NAME" --server-role=dc \
      --dns-backend=SAMBA_INTERNAL --adminpass="$pw" \
      --option="interfaces = lo" --option="bind interfaces only = yes" \
      --option="dns forwarder = 127.0.0.1" >"$LOG_DIR/provision.log" 2>&1; then
    tail -n 30 "$LOG_DIR/provision.log" >&2
    die "samba-tool domain provision failed (full log: $LOG_DIR/provision.log)"
  fi
  log "provisioned with samba-tool in $(elapsed "$t0")"
  # keep a pristine copy for the next reset (no sockets in it: they are made at run time)
  rm -rf -- "$TEMPLATE_DIR" "$AD_DIR"/template.*
  tmp=$(mktemp -d "$AD_DIR/template.XXXXXX")
  if cp -a -- "$SAMBA_DIR" "$tmp/samba" 2>"$tmp/cp.log"; then
    find "$tmp/samba" -type s -delete
    rm -f -- "$tmp/cp.log"
    printf '%s\n' "$key" >"$tmp/key"
    mv -- "$tmp" "$TEMPLATE_DIR"
  else
    warn "could not keep a template of the provision (resets will provision again): $(cat "$tmp/cp.log")"
    rm -rf -- "$tmp"
  fi
  write_smbconf
  touch "$PROVISIONED_MARK"
}

# ------------------------------------------------------------------------------------------- start/stop
start_samba() {
  local t0 pid
  rm -f -- "$PID_FILE"
  t0=$(now_us)
  # fd 9 holds our lock: the daemon must not inherit it. Nor our stdout (a caller's pipe would never close).
  local rc=0
  # The daemon must inherit no descriptor but the standard three: a caller's lock file (flock) or pipe
  # left open in it would stay held for as long as Samba runs.
  (
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      if ((fd > 2)); then eval "exec ${fd}>&-" 2>/dev/null || true; fi
    done
    exec samba -s "$SMB_CONF" -D </dev/null >>"$LOG_DIR/samba.stdout" 2>&1
  ) || rc=$?
  if ((rc != 0)); then show_log_tail; die "samba failed to start (exit $rc; see $SAMBA_LOG)"; fi
  if ! wait_until 10 our_pid >/dev/null; then
    show_log_tail; kill_leftovers; rm -f -- "$PID_FILE"; die "samba did not start or did not write its pidfile $PID_FILE (log: $SAMBA_LOG)"
  fi
  pid=$(our_pid)
  local limit=$(( $(now_us) + TIMEOUT * 1000000 ))
  until ldaps_ok; do
    if ! alive "$pid"; then show_log_tail; kill_leftovers; rm -f -- "$PID_FILE"; die "samba (pid $pid) exited during startup (log: $SAMBA_LOG)"; fi
    if (( $(now_us) >= limit )); then
      show_log_tail
      die "LDAPS did not answer on $URL within ${TIMEOUT}s (samba pid $pid still running; 'bash scripts/local-ad.sh down' stops it)"
    fi
    sleep 0.1
  done
  log "samba started (pid $pid), LDAPS answering after $(elapsed "$t0")"
}

# the root process (pidfile) died but some of its children may live on (and hold the ports)
kill_leftovers() {
  local old p left=()
  [[ -r $PID_FILE ]] || return 0
  old=$(tr -dc '0-9' <"$PID_FILE")
  [[ -n $old ]] || return 0
  for p in $(group_pids "$old"); do holds_our_files "$p" && left+=("$p"); done
  ((${#left[@]})) || return 0
  log "samba's root process $old is gone; killing its leftover processes ${left[*]}"
  kill -KILL "${left[@]}" 2>/dev/null || true
  wait_until 15 group_gone "$old" || die "leftover samba processes still alive: $(group_pids "$old" | tr '\n' ' ')"
  wait_until 15 ports_free || { port_holders; die "port(s) $(busy_ports) still in use"; }
}

# stop_samba [fast]: fast = SIGKILL the whole process group (used by reset: the data is thrown away)
stop_samba() {
  local mode=${1:-graceful} pid t0
  t0=$(now_us)
  if pid=$(our_pid); then
    if [[ $mode == fast ]]; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    else
      kill -TERM "$pid" 2>/dev/null || true
      if ! wait_until 30 group_gone "$pid"; then
        warn "samba (pid $pid) did not stop after SIGTERM in 30s; sending SIGKILL"
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
    wait_until 15 group_gone "$pid" || die "samba processes of group $pid are still alive: $(group_pids "$pid" | tr '\n' ' ')"
    rm -f -- "$PID_FILE"
    wait_until 15 ports_free || { port_holders; die "samba (pid $pid) is gone but port(s) $(busy_ports) are still in use"; }
    log "samba (pid $pid) stopped in $(elapsed "$t0")"
  else
    if [[ -e $PID_FILE ]]; then
      kill_leftovers
      rm -f -- "$PID_FILE"
      log "removed stale pidfile"
    fi
    log "samba is not running (for $AD_DIR)"
  fi
}

# ------------------------------------------------------------------------------------ directory content
dn_exists() { ldap_admin ldapsearch -b "$1" -s base -LLL dn >/dev/null 2>&1; }

ldap_add_if_missing() { # DN LDIF-BODY
  local dn=$1 body=$2
  dn_exists "$dn" && return 0
  printf 'dn: %s\n%s\n' "$dn" "$body" | ldap_admin ldapadd >/dev/null || die "could not add $dn"
}

configure_directory() {
  local t0
  t0=$(now_us)
  ldap_add_if_missing "$OU_ROOT_DN" $'objectClass: organizationalUnit\nou: SEI Cidades\ndescription: SEI Cidades (local test AD)'
  ldap_add_if_missing "$OU_TRAINING_DN" $'objectClass: organizationalUnit\nou: Treinamento\ndescription: Contas de treinamento do SEI Cidades'
  # groupType -2147483646 = global security group
  ldap_add_if_missing "$GROUP_DN" "objectClass: group
sAMAccountName: $GROUP_NAME
groupType: -2147483646
description: Contas de treinamento do SEI Cidades (PSO $PSO_NAME)"
  # Administrator: password never expires (a long-lived local domain would otherwise lock us out after
  # 42 days). The domain's password policy itself stays the default one.
  printf 'dn: %s\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: 66048\n' "$BIND_DN" \
    | ldap_admin ldapmodify >/dev/null || die "could not set Administrator's password to never expire"
  touch "$CONFIGURED_MARK"
  log "OUs, group $GROUP_NAME configured in $(elapsed "$t0")"
}

PSO_DN="CN=$PSO_NAME,CN=Password Settings Container,CN=System,$BASE_DN"

# pso_state -> "absent", "present" (not applied to the group) or "applied". Over LDAP when our DC answers
# (20 ms), else through samba-tool on sam.ldb (250 ms).
pso_state() {
  local out rc=0
  if our_pid >/dev/null && ldaps_ok; then
    out=$(ldap_admin ldapsearch -b "$PSO_DN" -s base -LLL -o ldif-wrap=no msDS-PSOAppliesTo 2>&1) || rc=$?
    case $rc in
      0) ;;
      32) echo absent; return 0 ;;
      *) printf '%s\n' "$out" >&2; die "could not read $PSO_DN (ldapsearch exit $rc)" ;;
    esac
    if grep -qiF "msDS-PSOAppliesTo: $GROUP_DN" <<<"$out"; then echo applied; else echo present; fi
  else
    out=$(samba_tool domain passwordsettings pso show "$PSO_NAME" 2>&1) || { echo absent; return 0; }
    if grep -qiF "$GROUP_DN" <<<"$out"; then echo applied; else echo present; fi
  fi
}
pso_present() { [[ $(pso_state) != absent ]]; }

pso_add() { # [fresh]: the domain was just provisioned, no need to look first
  local t0 out state=absent
  t0=$(now_us)
  [[ ${1:-} == fresh ]] || state=$(pso_state)
  if [[ $state == absent ]]; then
    out=$(samba_tool domain passwordsettings pso create "$PSO_NAME" "$PSO_PRECEDENCE" \
      --complexity=off --min-pwd-length=6 --history-length=0 --min-pwd-age=0 --max-pwd-age=0 2>&1) \
      || { printf '%s\n' "$out" >&2; die "could not create PSO $PSO_NAME"; }
  fi
  if [[ $state != applied ]]; then
    out=$(samba_tool domain passwordsettings pso apply "$PSO_NAME" "$GROUP_NAME" 2>&1) \
      || { printf '%s\n' "$out" >&2; die "could not apply PSO $PSO_NAME to $GROUP_NAME"; }
  fi
  PSO_NOW=true
  log "PSO $PSO_NAME (complexity off, min length 6, no history, no min/max age) applies to $GROUP_NAME [$(elapsed "$t0")]"
}

pso_remove() {
  local t0 out
  t0=$(now_us)
  if [[ $(pso_state) != absent ]]; then
    out=$(samba_tool domain passwordsettings pso delete "$PSO_NAME" 2>&1) \
      || { printf '%s\n' "$out" >&2; die "could not delete PSO $PSO_NAME"; }
    log "PSO $PSO_NAME removed: $GROUP_NAME now gets the domain policy [$(elapsed "$t0")]"
  else
    log "PSO $PSO_NAME is not present"
  fi
  PSO_NOW=false
}

write_connection() {
  local pso_present_json=${PSO_NOW:-}
  if [[ -z $pso_present_json ]]; then pso_present_json=false; pso_present && pso_present_json=true; fi
  (
    umask 077
    {
      printf '{\n'
      printf '  "url": %s,\n' "$(json_str "$URL")"
      printf '  "baseDN": %s,\n' "$(json_str "$BASE_DN")"
      printf '  "bindDN": %s,\n' "$(json_str "$BIND_DN")"
      printf '  "password": %s,\n' "$(json_str "$(<"$PW_FILE")")"
      printf '  "passwordFile": %s,\n' "$(json_str "$PW_FILE")"
      printf '  "caFile": %s,\n' "$(json_str "$CA_FILE")"
      printf '  "upnSuffix": %s,\n' "$(json_str "$DNS_DOMAIN")"
      printf '  "realm": %s,\n' "$(json_str "$REALM")"
      printf '  "netbiosDomain": %s,\n' "$(json_str "$NETBIOS_DOMAIN")"
      printf '  "rootOuDn": %s,\n' "$(json_str "$OU_ROOT_DN")"
      printf '  "trainingOuDn": %s,\n' "$(json_str "$OU_TRAINING_DN")"
      printf '  "trainingGroupDn": %s,\n' "$(json_str "$GROUP_DN")"
      printf '  "psoName": %s,\n' "$(json_str "$PSO_NAME")"
      printf '  "psoPresent": %s,\n' "$pso_present_json"
      printf '  "dir": %s\n' "$(json_str "$AD_DIR")"
      printf '}\n'
    } >"$CONN_JSON.tmp"
    {
      printf '# Written by scripts/local-ad.sh — source it to point sei-contas at the local test AD.\n'
      printf 'export SEI_LDAP_URL=%s\n' "$(sh_quote "$URL")"
      printf 'export SEI_LDAP_BIND_DN=%s\n' "$(sh_quote "$BIND_DN")"
      printf 'export SEI_LDAP_PASSWORD_FILE=%s\n' "$(sh_quote "$PW_FILE")"
      printf 'export SEI_LDAP_CA_FILE=%s\n' "$(sh_quote "$CA_FILE")"
      printf 'export SEI_LDAP_BASE_DN=%s\n' "$(sh_quote "$BASE_DN")"
      printf 'export SEI_UPN_SUFFIX=%s\n' "$(sh_quote "$DNS_DOMAIN")"
    } >"$CONN_ENV.tmp"
  )
  mv -- "$CONN_JSON.tmp" "$CONN_JSON"
  mv -- "$CONN_ENV.tmp" "$CONN_ENV"
}

print_status() {
  local pid state
  if pid=$(our_pid); then
    if ldaps_ok; then state=up; else state="running but LDAPS not answering"; fi
  else
    pid=-; if ldaps_ok; then state="LDAPS answers but not from our pidfile"; else state=down; fi
  fi
  printf 'state:      %s\npid:        %s\nurl:        %s\nbaseDN:     %s\nbindDN:     %s\ncaFile:     %s\nconnection: %s\n' \
    "$state" "$pid" "$URL" "$BASE_DN" "$BIND_DN" "$CA_FILE" "$CONN_JSON"
  [[ $state == up ]]
}

# ------------------------------------------------------------------------------------------- commands
parse_up_flags() { # sets WANT_PSO: "" (leave as is), yes, no; REPROVISION: 0/1
  WANT_PSO=""
  REPROVISION=0
  [[ ${SEI_LOCAL_AD_NO_PSO:-} == 1 ]] && WANT_PSO=no
  local a
  for a in "$@"; do
    case $a in
      --no-pso) WANT_PSO=no ;;
      --pso) WANT_PSO=yes ;;
      --reprovision) REPROVISION=1 ;;
      *) die "unknown option: $a (see 'bash scripts/local-ad.sh help')" ;;
    esac
  done
}

cmd_up() {
  parse_up_flags "$@"
  need_root
  ensure_packages
  take_lock
  do_up
}

# do_up: with the lock held
do_up() {
  local t0 pid fresh=0 busy
  t0=$(now_us)
  if pid=$(our_pid) && ldaps_ok; then
    case $WANT_PSO in
      no) pso_remove; write_connection ;;
      yes) pso_add; write_connection ;;
      *) [[ -s $CONN_JSON && -s $CONN_ENV ]] || write_connection ;;
    esac
    log "already up (pid $pid)"
    print_status || true
    return 0
  fi
  if pid=$(our_pid); then
    log "samba (pid $pid) is running but LDAPS does not answer; restarting it"
    stop_samba
  fi
  busy=$(busy_ports)
  if [[ -n $busy ]]; then
    port_holders
    die "port(s) $busy already in use on this machine, so our Samba cannot start. Only one Samba may run at a time: stop the other one (another checkout's 'bash scripts/local-ad.sh down', or the distribution's 'systemctl stop samba-ad-dc')."
  fi
  ensure_tls
  ensure_password
  if [[ ! -e $PROVISIONED_MARK || ! -s $SAM_LDB ]]; then
    provision
    fresh=1
  fi
  write_smbconf
  start_samba
  [[ -e $CONFIGURED_MARK ]] || configure_directory
  if ((fresh)); then
    if [[ $WANT_PSO == no ]]; then PSO_NOW=false; log "PSO $PSO_NAME NOT created (--no-pso)"; else pso_add fresh; fi
  else
    case $WANT_PSO in
      no) pso_remove ;;
      yes) pso_add ;;
    esac
  fi
  write_connection
  log "up in $(elapsed "$t0") — connection details in $CONN_JSON (source $CONN_ENV)"
  print_status || true
}

cmd_down() {
  need_root
  take_lock
  stop_samba
}

cmd_status() {
  local rc=0
  print_status || rc=3
  if [[ $rc -eq 0 ]]; then
    case $(pso_state) in
      applied) printf 'pso:        %s (applies to %s)\n' "$PSO_NAME" "$GROUP_NAME" ;;
      present) printf 'pso:        %s (NOT applied to %s)\n' "$PSO_NAME" "$GROUP_NAME" ;;
      *) printf 'pso:        none\n' ;;
    esac
  fi
  return $rc
}

wipe_domain() {
  rm -rf -- "$SAMBA_DIR" "$RUN_DIR" "$LOG_DIR" "$CONN_JSON" "$CONN_ENV" "$PROVISIONED_MARK" "$CONFIGURED_MARK"
}

cmd_reset() {
  parse_up_flags "$@"
  need_root
  ensure_packages
  take_lock
  local t0
  t0=$(now_us)
  stop_samba fast
  wipe_domain
  do_up
  log "reset done in $(elapsed "$t0")"
}

cmd_pso() {
  need_root
  take_lock
  [[ -e $PROVISIONED_MARK && -s $SAM_LDB ]] || die "no local AD in $AD_DIR: run 'bash scripts/local-ad.sh up' first"
  if [[ $1 == add ]]; then pso_add; else pso_remove; fi
  [[ -s $CONN_JSON ]] && write_connection
  samba_tool domain passwordsettings pso list
}

cmd_destroy() {
  need_root
  take_lock
  stop_samba
  # remove only what this script creates, then the folder if empty
  wipe_domain
  rm -rf -- "$TLS_DIR" "$PW_FILE" "$AD_DIR"/tls.* "$TEMPLATE_DIR" "$AD_DIR"/template.*
  rm -f -- "$LOCK_FILE"
  rmdir -- "$AD_DIR" 2>/dev/null || true
  log "removed $AD_DIR"
}

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

main() {
  local cmd=${1:-help}
  [[ $# -gt 0 ]] && shift
  case $cmd in
    up|start) cmd_up "$@" ;;
    down|stop) cmd_down ;;
    status) cmd_status ;;
    reset) cmd_reset "$@" ;;
    pso-add) cmd_pso add ;;
    pso-remove) cmd_pso remove ;;
    destroy) cmd_destroy ;;
    help|-h|--help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
