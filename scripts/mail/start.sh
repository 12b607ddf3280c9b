#!/usr/bin/env bash
# Starts the e-mail channel's test mail pair on 127.0.0.1: SMTP (python3-aiosmtpd, deliver.py) writing one Maildir
# per recipient, served by dovecot over IMAP (any user name, password "kefu-test"). Usage: start.sh STATE_DIR SMTP_PORT IMAP_PORT
# Writes pids to STATE_DIR/{smtp,dovecot}.pid; stop them with stop.sh STATE_DIR.
set -euo pipefail
state=$1 smtp_port=$2 imap_port=$3
here=$(cd "$(dirname "$0")" && pwd)
root="$state/maildirs"
mkdir -p "$root" "$state/dovecot-run"
chmod 0777 "$root"
cat >"$state/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $state/dovecot-run
state_dir = $state/dovecot-run
log_path = $state/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:$root/%n
mail_uid = nobody
mail_gid = nogroup
first_valid_uid = 0
default_internal_user = nobody
default_login_user = nobody
passdb {
  driver = static
  args = password=kefu-test
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$root/%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap_port
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
CONF
chown -R nobody:nogroup "$root" 2>/dev/null || true
/usr/sbin/dovecot -c "$state/dovecot.conf"
# dovecot writes its master pid under base_dir
for _ in $(seq 1 50); do [ -s "$state/dovecot-run/master.pid" ] && break; sleep 0.1; done
cp "$state/dovecot-run/master.pid" "$state/dovecot.pid"
if [ "$(id -u)" -eq 0 ]; then
  runuser -u nobody -g nogroup -- /usr/bin/python3 "$here/deliver.py" "$smtp_port" "$root" >"$state/smtp.log" 2>&1 &
else
  /usr/bin/python3 "$here/deliver.py" "$smtp_port" "$root" >"$state/smtp.log" 2>&1 &
fi
echo $! >"$state/smtp.pid"
