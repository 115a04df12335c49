# Stand-in for wordpress in the chapter: Debian's WordPress on apache2 + PHP, configured at start from
# WORDPRESS_DB_HOST / _USER / _PASSWORD / _NAME, serving on port 80 in the foreground.
FROM dockersim/ubuntu:14.04
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wordpress apache2 \
      libapache2-mod-php php-mysql curl \
 && rm -rf /var/lib/apt/lists/* \
 && printf '%s\n' '<VirtualHost *:80>' '  DocumentRoot /usr/share/wordpress' \
      '  Alias /wp-content /var/lib/wordpress/wp-content' \
      '  <Directory /usr/share/wordpress>' '    Options FollowSymLinks' '    AllowOverride Limit Options FileInfo' \
      '    DirectoryIndex index.php' '    Require all granted' '  </Directory>' \
      '  <Directory /var/lib/wordpress/wp-content>' '    Options FollowSymLinks' '    Require all granted' \
      '  </Directory>' '  ErrorLog /dev/stderr' '  CustomLog /dev/stdout combined' '</VirtualHost>' \
      > /etc/apache2/sites-available/000-default.conf \
 && printf '%s\n' '#!/bin/sh' '. /etc/apache2/envvars' 'mkdir -p "$APACHE_RUN_DIR" "$APACHE_LOCK_DIR" "$APACHE_LOG_DIR"' \
      'rm -f "$APACHE_PID_FILE"' 'exec apache2 -DFOREGROUND "$@"' > /usr/local/bin/apache2-foreground \
 && chmod +x /usr/local/bin/apache2-foreground
COPY wordpress-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
EXPOSE 80
STOPSIGNAL SIGWINCH
LABEL org.dockersim.kit="wordpress"
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["apache2-foreground"]
