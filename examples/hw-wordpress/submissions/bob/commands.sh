# HW1, Bob: forgot the host directory, and never wrote the file into the volume.
docker run -d --name wordpressdb -e MYSQL_ROOT_PASSWORD=password -e MYSQL_DATABASE=wordpress mysql:5.7
docker run -d -e WORDPRESS_DB_HOST=mysql -e WORDPRESS_DB_USER=root -e WORDPRESS_DB_PASSWORD=password --name wordpress --link wordpressdb:mysql -p 80 wordpress
docker volume create myvolume
docker run -d -i -t --name myvolume_2 -v myvolume:/root/ ubuntu:14.04
