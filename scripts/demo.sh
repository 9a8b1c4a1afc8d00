#!/usr/bin/env bash
# The README's first command: start the local Active Directory (Samba AD DC on loopback), then apply the
# sample forms to it. Passwords go to a local outbox (.eml files) instead of a mail server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/local-ad.sh up
# shellcheck disable=SC1091
source .local/ad/connection.env
export SEI_STATE_DIR="${SEI_STATE_DIR:-./estado}"
export SEI_MAIL_TRANSPORT=file
export SEI_MAIL_OUTBOX="${SEI_MAIL_OUTBOX:-./estado/caixa-de-saida}"
echo
echo "== Simulação (plan) do formulário com erros: linhas recusadas com arquivo, linha e motivo =="
node dist/cli/main.js plan --offline fixtures/formulario-com-erros.csv --report-dir relatorios/demo-erros || true
echo
echo "== Aplicação (apply) dos formulários de exemplo no diretório local =="
status=0
node dist/cli/main.js apply --yes fixtures/formulario-excel.csv fixtures/formulario-plataforma.csv --report-dir relatorios/demo || status=$?
echo
echo "Mensagens com as senhas temporárias (arquivos .eml): $SEI_MAIL_OUTBOX"
echo "Diretório local: $SEI_LDAP_URL (base $SEI_LDAP_BASE_DN); pare com: bash scripts/local-ad.sh down"
exit "$status"
