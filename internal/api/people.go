package api

func (s *Server) peopleRoutes() []Route { return nil }
