/* health.c - `portal-notify --health`: the container's HEALTHCHECK for the
 * worker, which has no FastCGI socket to ask.  It asks the running worker's
 * metrics socket (PORTAL_METRICS_SOCKET) for GET /metrics: healthy when the
 * worker answers within 3 s and says its Redis connection works
 * (`portal_notify_store_up 1`).  Prints why when not. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"

#define HEALTH_MAX (256 * 1024)

/* Read the whole answer (the server closes) into buf, NUL-terminated,
 * within ms.  The length read. */
static size_t read_answer(int fd, char *buf, size_t cap, int ms)
{
	size_t got = 0;

	while (got + 1 < cap) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, ms) <= 0 || (n = recv(fd, buf + got, cap - 1 - got, 0)) <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	return got;
}

int notify_health(void)
{
	static const char req[] = "GET /metrics HTTP/1.0\r\n\r\n";
	const char *path = getenv("PORTAL_METRICS_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *buf;
	int fd, ok;

	if (path == NULL || !path[0] || strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "portal-notify --health: set PORTAL_METRICS_SOCKET to the worker's metrics socket\n");
		return 1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL) < 0) {
		fprintf(stderr, "portal-notify --health: the worker does not answer on %s\n", path);
		if (fd >= 0)
			close(fd);
		return 1;
	}
	if ((buf = malloc(HEALTH_MAX)) == NULL) {
		close(fd);
		return 1;
	}
	read_answer(fd, buf, HEALTH_MAX, 3000);
	close(fd);
	ok = strncmp(buf, "HTTP/1.0 200 ", 13) == 0 && strstr(buf, "\nportal_notify_store_up 1\n") != NULL;
	if (!ok)
		fprintf(stderr, "portal-notify --health: %s\n",
		        strncmp(buf, "HTTP/1.0 200 ", 13) ? "no answer from the worker" : "the worker cannot reach Redis");
	free(buf);
	return ok ? 0 : 1;
}
