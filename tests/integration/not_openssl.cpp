// Built as libssl.so.3 for lazy_openssl_test: a library the loader takes,
// with none of OpenSSL's functions, as another library (or another major
// version of OpenSSL) installed under that name would be.
extern "C" int gleaner_not_openssl() { return 3; }
