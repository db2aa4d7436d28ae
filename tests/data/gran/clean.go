package main
import ("fmt"; "path/filepath")
func main() {
	for _, s := range []string{"", "abc", "abc/def", "a/b/c", ".", "..", "../..", "../../abc", "/abc", "/", "abc/", "abc/def/", "a/b/c/", "./", "../", "/abc/", "abc//def//ghi", "//abc", "///abc", "//abc//", "abc//", "abc/./def", "/./abc/def", "abc/.", "abc/def/..", "abc/def/../ghi", "abc/def/../../..", "/abc/def/../../..", "abc/def/../../../ghi/jkl/../../../mno", "/../abc", "a/../b/../c/../..", "abc/./../def", "abc//./../def", "abc/../../././../def", "./main.go", "/tmp/x//y/./z.go", "C:\\x\\y"} {
		fmt.Printf("%q %q\n", s, filepath.Clean(s))
	}
}
