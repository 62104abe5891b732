module github.com/sendbee/sendbee-go

go 1.25.0

require github.com/google/go-querystring v1.2.0
