package api

func (s *Server) importRoutes() []Route { return nil }
