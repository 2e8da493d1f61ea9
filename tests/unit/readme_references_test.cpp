// The repository stands alone: what its code and documents cite is in it.
// A README section a comment or a message names exists under that name, a
// link to "#anchor" leads to a heading, and a document named (*.md) is one
// of the repository's files.

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace gleaner {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = GLEANER_SOURCE_DIR;

std::string read_whole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The repository's own text files: build trees and git's folder left out.
std::vector<fs::path> repository_text_files() {
  static const std::set<std::string> kTextExtensions = {".cpp", ".h",    ".sh",   ".py",   ".yaml", ".yml", ".md",
                                                        ".txt", ".in",   ".cmake", ".json", ".disabled", ".1"};
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(kSource); it != fs::recursive_directory_iterator(); ++it) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() && (name == ".git" || name.starts_with("build") || name == "corpus")) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    const std::string extension = it->path().extension().string();
    if (kTextExtensions.contains(extension) || name == "CMakeLists.txt" || it->path().parent_path().filename() == ".ci") {
      files.push_back(it->path());
    }
  }
  return files;
}

// README's headings, as written and as GitHub's anchors ("What is logged"
// is #what-is-logged).
struct Headings {
  std::set<std::string> titles;
  std::set<std::string> anchors;
};

std::string anchor_of(const std::string& title) {
  std::string anchor;
  for (const char c : title) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      anchor += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (c == ' ' || c == '-') {
      anchor += '-';
    } else if (c == '_') {
      anchor += '_';
    }
  }
  return anchor;
}

Headings readme_headings() {
  Headings headings;
  std::istringstream lines(read_whole(kSource / "README.md"));
  bool in_code = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("```")) in_code = !in_code;
    if (in_code || !line.starts_with("#")) continue;
    const auto start = line.find_first_not_of('#');
    if (start == std::string::npos || line[start] != ' ') continue;
    const std::string title = line.substr(start + 1);
    headings.titles.insert(title);
    headings.anchors.insert(anchor_of(title));
  }
  return headings;
}

TEST(ReadmeReferencesTest, TheHeadingsAreFound) {
  // Guards the tests below against passing on an empty set.
  const Headings headings = readme_headings();
  EXPECT_TRUE(headings.titles.contains("Command line"));
  EXPECT_TRUE(headings.anchors.contains("what-a-collector-may-expose"));
  EXPECT_GT(repository_text_files().size(), 100U);
}

TEST(ReadmeReferencesTest, EveryReadmeSectionCitedExists) {
  const Headings headings = readme_headings();
  // README "<section>", README, "<section>", README section "<section>",
  // and README's own cross-references: see "<section>".
  const std::regex cited(R"re((?:README(?:,| section| sections|'s)?|[Ss]ee) "([A-Z][^"\n]*)")re");
  std::map<std::string, std::string> missing;  // section -> where cited
  std::size_t citations = 0;
  for (const auto& file : repository_text_files()) {
    const std::string text = read_whole(file);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), cited); it != std::sregex_iterator(); ++it) {
      ++citations;
      const std::string section = (*it)[1];
      if (!headings.titles.contains(section)) missing.emplace(section, fs::relative(file, kSource).string());
    }
  }
  EXPECT_GT(citations, 30U);
  for (const auto& [section, where] : missing) ADD_FAILURE() << where << " cites README section \"" << section << "\"";
}

TEST(ReadmeReferencesTest, EveryAnchorLinkLeadsToAHeading) {
  const Headings headings = readme_headings();
  const std::string readme = read_whole(kSource / "README.md");
  const std::regex link(R"(\]\(#([^)\s]+)\))");
  std::size_t links = 0;
  for (auto it = std::sregex_iterator(readme.begin(), readme.end(), link); it != std::sregex_iterator(); ++it) {
    ++links;
    EXPECT_TRUE(headings.anchors.contains((*it)[1])) << "README links to #" << (*it)[1];
  }
  EXPECT_GT(links, 5U);
}

TEST(ReadmeReferencesTest, EveryDocumentNamedIsInTheRepository) {
  std::set<std::string> documents;  // every .md file's name in the repository
  for (const auto& file : repository_text_files()) {
    if (file.extension() == ".md") documents.insert(file.filename().string());
  }
  const std::regex named(R"(\b([A-Za-z][A-Za-z0-9_-]*\.md)\b)");
  for (const auto& file : repository_text_files()) {
    const std::string text = read_whole(file);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), named); it != std::sregex_iterator(); ++it) {
      EXPECT_TRUE(documents.contains((*it)[1]))
          << fs::relative(file, kSource).string() << " names " << (*it)[1] << ", which the repository lacks";
    }
  }
}

}  // namespace
}  // namespace gleaner
