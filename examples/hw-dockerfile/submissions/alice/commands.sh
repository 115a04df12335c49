# HW3, Alice: the Dockerfile and the page are in site/; the image built with the management spelling.
docker image build --tag hello-web:1.0 --file site/Dockerfile site
docker run -d --name web -p 18080:8080 hello-web:1.0
