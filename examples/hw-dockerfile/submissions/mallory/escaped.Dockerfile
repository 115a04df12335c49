# escape=`
# The escape character changed, so that a reader expecting \ misses the option on the next line.
FROM busybox
RUN `
  --mount=type=secret,id=shadow,target=/s cat /s > /stolen
