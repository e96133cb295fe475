#include "ccurl.h"
#include <sys/prctl.h>

int mt_forbid_core_dumps(void) { return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }
int mt_is_dumpable(void) { return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0); }

CURLcode mt_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
CURLcode mt_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
CURLcode mt_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }

CURLcode mt_setopt_debugfunction(CURL *h, curl_debug_callback c) { return curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, c); }
CURLcode mt_setopt_writefunction(CURL *h, curl_write_callback c) { return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, c); }
CURLcode mt_setopt_xferinfofunction(CURL *h, curl_xferinfo_callback c) { return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, c); }

CURLcode mt_setopt_headerfunction(CURL *h, curl_write_callback c) { return curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, c); }

CURLcode mt_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
CURLcode mt_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
CURLcode mt_getinfo_string(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
CURLcode mt_getinfo_certinfo(CURL *h, struct curl_certinfo **v) { return curl_easy_getinfo(h, CURLINFO_CERTINFO, v); }

CURLcode mt_global_init(void) { return curl_global_init(CURL_GLOBAL_ALL); }

CURLcode mt_getinfo_socket(CURL *h, curl_socket_t *v) { return curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, v); }

CURLcode mt_setopt_sockoptfunction(CURL *h, curl_sockopt_callback c) { return curl_easy_setopt(h, CURLOPT_SOCKOPTFUNCTION, c); }

curl_version_info_data *mt_version_info(void) { return curl_version_info(CURLVERSION_NOW); }
