package ejournal

type recordsService interface{}
