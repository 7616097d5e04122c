module github.com/forcefield/forcefield

go 1.26.8
