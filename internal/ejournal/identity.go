package ejournal

type identityService interface{}
