package api

func (s *Server) oidcRoutes() []Route { return nil }
