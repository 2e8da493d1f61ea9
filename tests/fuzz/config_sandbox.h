#pragma once
// The folder the fuzzed configuration is loaded from: files for `include`
// to find (valid, invalid, empty, not YAML) and for `web:` to read (a plain
// and a bcrypt password file, a certificate and its key), so that fuzzed
// configurations can reach the success paths too. Removed at exit (not
// after a crash: then it stays in the temporary folder, named
// gleaner-fuzz-config-*).

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/fuzz/fuzz_checks.h"

namespace gleaner::fuzz {

class ConfigSandbox {
 public:
  ConfigSandbox() {
    namespace fs = std::filesystem;
    std::string pattern = (fs::temp_directory_path() / "gleaner-fuzz-config-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) violated("a sandbox folder can be made", pattern);
    dir_ = pattern;
    write("conf.d/disk.yaml", "collectors:\n  - {name: included_disk, plugin: df}\n");
    write("conf.d/bad.yaml", "collectors:\n  - name: 1x\n    plugin: exec\n    command: []\n    extra: 1\n");
    write("conf.d/empty.yaml", "");
    write("conf.d/not_yaml.yaml", "collectors: [\n");
    write("more.yaml", "collectors:\n  - {name: more, plugin: exec, command: [echo, x=1], parser: {type: keyvalue}}\n");
    write("web.pass", "secret\n");
    write("web.bcrypt", "$2b$04$abcdefghijklmnopqrstuu2r9OfJnfCsdneAXAGHnS4UpFFP8WIrW\n");
    write_certificate_and_key("web.crt", "web.key");
  }
  ~ConfigSandbox() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  ConfigSandbox(const ConfigSandbox&) = delete;
  ConfigSandbox& operator=(const ConfigSandbox&) = delete;

  const std::string& dir() const { return dir_; }

 private:
  // Readable by all, writable by the owner only: the loader refuses files
  // that others may change.
  void write(const std::string& name, const std::string& text) {
    namespace fs = std::filesystem;
    const fs::path path = fs::path(dir_) / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    fs::permissions(path,
                    fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  }

  // A self-signed P-256 certificate for localhost, made here so that no
  // key is kept in the source tree.
  void write_certificate_and_key(const std::string& cert_name, const std::string& key_name) {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* cert = X509_new();
    if (!key || !cert) violated("a test certificate can be made", "EVP_EC_gen or X509_new failed");
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), 365L * 24 * 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1,
                               0);
    X509_set_issuer_name(cert, name);
    if (X509_sign(cert, key, EVP_sha256()) == 0) violated("a test certificate can be made", "X509_sign failed");
    write(cert_name, "");
    write(key_name, "");
    FILE* cert_file = std::fopen((dir_ + "/" + cert_name).c_str(), "w");
    FILE* key_file = std::fopen((dir_ + "/" + key_name).c_str(), "w");
    const bool written = cert_file && key_file && PEM_write_X509(cert_file, cert) == 1 &&
                         PEM_write_PrivateKey(key_file, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    if (cert_file) std::fclose(cert_file);
    if (key_file) std::fclose(key_file);
    X509_free(cert);
    EVP_PKEY_free(key);
    if (!written) violated("a test certificate can be written", dir_);
    std::filesystem::permissions(dir_ + "/" + key_name,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }

  std::string dir_;
};

}  // namespace gleaner::fuzz
