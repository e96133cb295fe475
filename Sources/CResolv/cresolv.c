#include "cresolv.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>
#include <string.h>

int mt_dns_query(const char *name, int type, const char *server, int port, int timeout,
                 unsigned char *answer, int anslen, int *herr) {
    struct __res_state state;
    memset(&state, 0, sizeof state);
    *herr = 0;
    if (res_ninit(&state) != 0) {
        *herr = 3;
        return -1;
    }
    if (server != NULL && server[0] != '\0') {
        struct sockaddr_in address;
        memset(&address, 0, sizeof address);
        address.sin_family = AF_INET;
        address.sin_port = htons((unsigned short)port);
        if (inet_pton(AF_INET, server, &address.sin_addr) != 1) {
            res_nclose(&state);
            *herr = 3;
            return -1;
        }
        state.nsaddr_list[0] = address;
        state.nscount = 1;
    }
    state.retrans = timeout > 0 ? timeout : 5;
    state.retry = 2;
    // The name is complete: no search list, no appended domains.
    state.options &= ~(unsigned long)(RES_DEFNAMES | RES_DNSRCH);
    int length = res_nquery(&state, name, ns_c_in, type, answer, anslen);
    if (length < 0) *herr = state.res_h_errno;
    res_nclose(&state);
    return length;
}
