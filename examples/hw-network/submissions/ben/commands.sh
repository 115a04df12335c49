# HW2, Ben: no network of their own. On the default network a container's name is no address, so WordPress
# cannot find the database; and no shell session.
docker volume create wpdb
docker run -d --name wordpressdb -e MYSQL_ROOT_PASSWORD=password -e MYSQL_DATABASE=wordpress \
  -v wpdb:/var/lib/mysql mysql:5.7
docker run -d --name wordpress -p 80 \
  -e WORDPRESS_DB_HOST=wordpressdb -e WORDPRESS_DB_USER=root -e WORDPRESS_DB_PASSWORD=password \
  wordpress
