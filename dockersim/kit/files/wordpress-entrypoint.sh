#!/bin/sh
# Like the original wordpress image's entrypoint: write the database settings from the environment.
set -e
php_quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/\\\\/\\\\\\\\/g; s/'/\\\\'/g")"; }
cat > /etc/wordpress/config-default.php <<PHP
<?php
define('DB_NAME', $(php_quote "${WORDPRESS_DB_NAME:-wordpress}"));
define('DB_USER', $(php_quote "${WORDPRESS_DB_USER:-root}"));
define('DB_PASSWORD', $(php_quote "${WORDPRESS_DB_PASSWORD:-}"));
define('DB_HOST', $(php_quote "${WORDPRESS_DB_HOST:-mysql}"));
define('WP_CONTENT_DIR', '/var/lib/wordpress/wp-content');
PHP
exec "$@"
