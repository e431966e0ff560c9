package api

func (s *Server) authRoutes() []Route { return nil }
