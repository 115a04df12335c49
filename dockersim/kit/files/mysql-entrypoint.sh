#!/bin/bash
# Like the original mysql image's entrypoint: refuse to initialise without a root-password option,
# initialise an empty data directory once, then run the server in the foreground.
set -eo pipefail

if [ "${1:0:1}" = '-' ]; then
	set -- mysqld "$@"
fi
if [ "$1" != 'mysqld' ]; then
	exec "$@"
fi

DATADIR=/var/lib/mysql
mkdir -p "$DATADIR" /run/mysqld
chown -R mysql:mysql "$DATADIR" /run/mysqld

if [ ! -d "$DATADIR/mysql" ]; then
	if [ -z "$MYSQL_ROOT_PASSWORD" ] && [ -z "$MYSQL_ALLOW_EMPTY_PASSWORD" ] && [ -z "$MYSQL_RANDOM_ROOT_PASSWORD" ]; then
		echo >&2 'error: database is uninitialized and password option is not specified '
		echo >&2 '  You need to specify one of MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD and MYSQL_RANDOM_ROOT_PASSWORD'
		exit 1
	fi
	echo 'Initializing database'
	mariadb-install-db --user=mysql --datadir="$DATADIR" --skip-test-db --auth-root-authentication-method=normal \
		> /dev/null
	echo 'Database initialized'
	mysqld --user=mysql --datadir="$DATADIR" --skip-networking --socket=/run/mysqld/init.sock &
	pid=$!
	for _ in $(seq 1 300); do  # up to 30 s for the temporary server to answer
		mysqladmin --socket=/run/mysqld/init.sock ping > /dev/null 2>&1 && break
		sleep 0.1
	done
	if [ -n "$MYSQL_RANDOM_ROOT_PASSWORD" ]; then
		MYSQL_ROOT_PASSWORD="$(head -c 12 /dev/urandom | base64)"
		echo "GENERATED ROOT PASSWORD: $MYSQL_ROOT_PASSWORD"
	fi
	{
		echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '${MYSQL_ROOT_PASSWORD}';"
		echo "CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '${MYSQL_ROOT_PASSWORD}';"
		echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
		if [ -n "$MYSQL_DATABASE" ]; then
			echo "CREATE DATABASE IF NOT EXISTS \`$MYSQL_DATABASE\`;"
		fi
		if [ -n "$MYSQL_USER" ] && [ -n "$MYSQL_PASSWORD" ]; then
			echo "CREATE USER IF NOT EXISTS '$MYSQL_USER'@'%' IDENTIFIED BY '$MYSQL_PASSWORD';"
			[ -n "$MYSQL_DATABASE" ] && echo "GRANT ALL ON \`$MYSQL_DATABASE\`.* TO '$MYSQL_USER'@'%';"
		fi
		echo "FLUSH PRIVILEGES;"
	} | mysql --socket=/run/mysqld/init.sock -uroot
	kill "$pid"
	wait "$pid" || true
	echo 'MySQL init process done. Ready for start up.'
fi

exec mysqld --user=mysql --datadir="$DATADIR" --bind-address=0.0.0.0 --console
