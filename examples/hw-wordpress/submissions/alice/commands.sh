# HW1, Alice: everything as asked.
docker run -d --name wordpressdb \
  -e MYSQL_ROOT_PASSWORD=password \
  -e MYSQL_DATABASE=wordpress \
  -v /home/wordpress_db:/var/lib/mysql \
  mysql:5.7

docker run -d -e WORDPRESS_DB_HOST=mysql -e WORDPRESS_DB_USER=root -e WORDPRESS_DB_PASSWORD=password \
  --name wordpress --link wordpressdb:mysql -p 80 wordpress

docker volume create --name myvolume
docker run --name myvolume_1 -v myvolume:/root/ ubuntu:14.04 sh -c 'echo hello, volume! >> /root/volume'
docker run -d -i -t --name myvolume_2 -v myvolume:/root/ ubuntu:14.04
