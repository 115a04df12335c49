# HW3, the reference: build the image from this folder, then serve it on a published port.
docker build -t hello-web:1.0 .
docker run -d --name web -p 8080 hello-web:1.0
