# HW3, Bob.
docker build -t hello-web:1.0 .
docker run -d --name web -p 8080 hello-web:1.0
