# HW2, Ann: everything as asked.
docker network create wpnet
docker volume create wpdb
docker run -d --name wordpressdb --network wpnet \
  -e MYSQL_ROOT_PASSWORD=password -e MYSQL_DATABASE=wordpress \
  -v wpdb:/var/lib/mysql mysql:5.7
docker run -d --name wordpress --network wpnet -p 80 \
  -e WORDPRESS_DB_HOST=wordpressdb -e WORDPRESS_DB_USER=root -e WORDPRESS_DB_PASSWORD=password \
  wordpress
