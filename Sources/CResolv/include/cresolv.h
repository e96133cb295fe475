#ifndef MAILTUI_CRESOLV_H
#define MAILTUI_CRESOLV_H

// One DNS query through the C library's resolver (res_nquery on a private resolver state), so
// that a chosen server can be asked without touching the process's own resolver.

/// Asks `server` (an IPv4 address; NULL or "" for /etc/resolv.conf's) on `port` for `type`
/// records of `name`, waiting `timeout` seconds per try. Writes the raw answer to `answer` and
/// returns its length; on failure returns -1 and sets `*herr` to the resolver's h_errno
/// (1 no such domain, 2 try again, 3 no recovery, 4 no data).
int mt_dns_query(const char *name, int type, const char *server, int port, int timeout,
                 unsigned char *answer, int anslen, int *herr);

#endif
