# Stand-in for mysql:5.7 in the chapter: a real MariaDB server from Debian as the foreground process,
# logging to the terminal, set up from MYSQL_ROOT_PASSWORD / MYSQL_DATABASE like the original image.
FROM dockersim/ubuntu:14.04
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends mariadb-server mariadb-client \
 && rm -rf /var/lib/apt/lists/* \
 # The package initialises a data directory at install time; the original image ships an empty one,
 # so "is the data directory initialised?" means the same thing here as there.
 && rm -rf /var/lib/mysql && mkdir -p /var/lib/mysql /run/mysqld \
 && chown mysql:mysql /var/lib/mysql /run/mysqld
COPY mysql-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/mysql
EXPOSE 3306 33060
LABEL org.dockersim.kit="mysql:5.7"
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["mysqld"]
