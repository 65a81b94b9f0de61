# Private Dovecot for the tests (sourced by bash tests). Never touches the
# system service or /etc/dovecot: everything lives in a temporary directory
# under /tmp, listening on 127.0.0.1 only.
#   dovecot_setup            make the directory, users, certificates
#   dovecot_start [CERT]     start with CERT (server, wronghost, expired); sets IMAP_PORT, IMAPS_PORT
#   dovecot_stop             stop it
#   dovecot_adm ARGS...      doveadm on this instance
# DOVE holds the directory (under DOVE_PARENT, default /tmp); MAILDIR the
# user's Maildir; CA the right CA file.

dovecot_setup() {
    DOVE=$(mktemp -d "${DOVE_PARENT:-/tmp}/rebote-dove.XXXXXX") || return 1
    chmod 755 "$DOVE"
    MAILUID=$(id -u dovecot) MAILGID=$(id -g dovecot)
    mkdir -p "$DOVE/run" "$DOVE/state" "$DOVE/home/Maildir/cur" "$DOVE/home/Maildir/new" "$DOVE/home/Maildir/tmp"
    chown -R "$MAILUID:$MAILGID" "$DOVE/home"
    MAILDIR=$DOVE/home/Maildir
    echo "rebote:{PLAIN}s3cret-pw:$MAILUID:$MAILGID::$DOVE/home::" >"$DOVE/passwd"
    chmod 644 "$DOVE/passwd"
    printf 's3cret-pw\n' >"$DOVE/pw"
    printf 'wrong-pw\n' >"$DOVE/badpw"
    dovecot_certs
}

dovecot_certs() {
    local d=$DOVE
    (
        cd "$d" || exit 1
        for ca in ca otherca; do
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $ca.key \
                -out $ca.pem -days 30 -subj "/CN=rebote test $ca" \
                -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
        done
        mk() {   # mk NAME SAN [openssl ca dates]
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" \
                -out "$1.csr" -subj "/CN=$1"
            printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' "$2" >"$1.ext"
        }
        mk server 'DNS:localhost,IP:127.0.0.1'
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
            -extfile server.ext -out server.pem
        mk wronghost 'DNS:mail.example.test'
        openssl x509 -req -in wronghost.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
            -extfile wronghost.ext -out wronghost.pem
        mk expired 'DNS:localhost,IP:127.0.0.1'
        mkdir -p demoCA/newcerts && : >demoCA/index.txt && echo 01 >demoCA/serial
        printf '[ca]\ndefault_ca=d\n[d]\ndir=demoCA\ndatabase=$dir/index.txt\nnew_certs_dir=$dir/newcerts\nserial=$dir/serial\ndefault_md=sha256\npolicy=p\ncopy_extensions=none\n[p]\ncommonName=supplied\n' >ca.cnf
        openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -out expired.pem \
            -startdate 20200101000000Z -enddate 20200201000000Z -extfile expired.ext -notext
    ) >"$d/certs.log" 2>&1
    CA=$d/ca.pem
    OTHER_CA=$d/otherca.pem
}

dovecot_conf() {   # dovecot_conf CERT IMAP_PORT IMAPS_PORT
    cat >"$DOVE/dovecot.conf" <<CONF
base_dir = $DOVE/run
state_dir = $DOVE/state
log_path = $DOVE/dovecot.log
info_log_path = $DOVE/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <$DOVE/$1.pem
ssl_key = <$DOVE/$1.key
mail_location = maildir:~/Maildir
first_valid_uid = $MAILUID
auth_failure_delay = 0
auth_verbose = yes
mail_max_userip_connections = 100
mail_fsync = never
passdb {
  driver = passwd-file
  args = $DOVE/passwd
}
userdb {
  driver = passwd-file
  args = $DOVE/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $2
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $3
    ssl = yes
  }
}
CONF
}

dovecot_start() {
    local cert=${1:-server} try
    for try in 1 2 3 4 5 6 7 8; do
        IMAP_PORT=$((20000 + (RANDOM % 20000) * 2))
        IMAPS_PORT=$((IMAP_PORT + 1))
        dovecot_conf "$cert" "$IMAP_PORT" "$IMAPS_PORT"
        if dovecot -c "$DOVE/dovecot.conf" 2>>"$DOVE/start.log"; then
            return 0
        fi
    done
    echo "# dovecot did not start: $(tail -n 3 "$DOVE/start.log" "$DOVE/dovecot.log" 2>/dev/null)"
    return 1
}

dovecot_stop() {
    local pid
    [ -f "$DOVE/run/master.pid" ] || return 0
    pid=$(cat "$DOVE/run/master.pid")
    kill -TERM "$pid" 2>/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        [ -f "$DOVE/run/master.pid" ] || break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    rm -f "$DOVE/run/master.pid"
}

dovecot_adm() {
    doveadm -c "$DOVE/dovecot.conf" "$@"
}

# Puts message files into the user's Maildir (before the next SELECT).
dovecot_add() {
    local f n=0
    for f in "$@"; do
        n=$((n + 1))
        cp "$f" "$MAILDIR/cur/$(date +%s).M${n}P$$.rebote,S=$(wc -c <"$f"):2,"
    done
    chown -R "$MAILUID:$MAILGID" "$MAILDIR"
}

dovecot_cleanup() {
    dovecot_stop
    [ -n "${DOVE:-}" ] && rm -rf "$DOVE"
}
