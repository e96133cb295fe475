#ifndef MAILTUI_CCURL_H
#define MAILTUI_CCURL_H

#include <curl/curl.h>

// libcurl's setopt and getinfo are variadic, which Swift cannot call. These typed wrappers are the
// only type check on them: pass a long where curl wants a long.

CURLcode mt_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode mt_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode mt_setopt_pointer(CURL *handle, CURLoption option, void *value);

CURLcode mt_setopt_debugfunction(CURL *handle, curl_debug_callback callback);
CURLcode mt_setopt_writefunction(CURL *handle, curl_write_callback callback);
CURLcode mt_setopt_xferinfofunction(CURL *handle, curl_xferinfo_callback callback);

CURLcode mt_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value);
CURLcode mt_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode mt_getinfo_string(CURL *handle, CURLINFO info, char **value);
CURLcode mt_getinfo_certinfo(CURL *handle, struct curl_certinfo **value);

/// Where a response's body and its header lines go (the OAuth authority's HTTP replies).
CURLcode mt_setopt_headerfunction(CURL *handle, curl_write_callback callback);

/// curl_global_init(CURL_GLOBAL_ALL).
CURLcode mt_global_init(void);

/// The connection's socket (CURLINFO_ACTIVESOCKET).
CURLcode mt_getinfo_socket(CURL *handle, curl_socket_t *value);

/// Called with each socket libcurl creates.
CURLcode mt_setopt_sockoptfunction(CURL *handle, curl_sockopt_callback callback);

/// Marks the process not dumpable (prctl PR_SET_DUMPABLE 0): no core dump, no ptrace by other
/// processes of the same user, once a password is in memory. prctl is variadic, hence here.
int mt_forbid_core_dumps(void);
/// 1 when the process may dump core, 0 when not.
int mt_is_dumpable(void);

/// curl_version_info(CURLVERSION_NOW): CURLVERSION_NOW is a macro Swift cannot import.
curl_version_info_data *mt_version_info(void);

#endif
